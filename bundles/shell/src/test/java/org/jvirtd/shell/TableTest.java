package org.jvirtd.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void emptyListLooksLikeVirshs() {
        assertEquals(" Id   Name   State\n--------------------\n", new Table("Id", "Name", "State").render());
    }

    @Test
    void columnsArePaddedExceptTheLast() {
        String text = new Table("Id", "Name", "State").row("-", "peer-tiny", "shut off").render();
        assertEquals(" Id   Name        State\n----------------------------\n -    peer-tiny   shut off\n", text);
    }

    @Test
    void hypervisorVersionIsWrittenAsMajorMinorRelease() {
        assertEquals("7.2.22", ConnectCommands.versionText(7_002_022));
        assertEquals("0.0.2", ConnectCommands.versionText(2));
    }
}
