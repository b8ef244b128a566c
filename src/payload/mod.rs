//! Typed payloads carried in reply text: passive-mode addresses, restart markers,
//! pathnames, protected replies and more.
