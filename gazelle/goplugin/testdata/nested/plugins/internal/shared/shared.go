package shared

const Prefix = "plugin:"
