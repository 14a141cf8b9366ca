package org.jvirtd.model.network;

/**
 * {@code <virtualport>}: 802.1Qbg/802.1Qbh/openvswitch/midonet port profile parameters.
 */
public record VirtualPort(String type, String managerId, String typeId, String typeIdVersion,
                          String instanceId, String interfaceId, String profileId) {
}
