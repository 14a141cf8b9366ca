package org.jvirtd.api.domain;

/** virDomainScreenshot's answer: the image of a running guest's screen and its MIME type. */
public record Screenshot(String mimeType, byte[] image) {
}
