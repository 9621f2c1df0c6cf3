package dev.portcullis.platform;

/** The settings of a capability that reads no configuration section. */
public record NoSettings() {}
