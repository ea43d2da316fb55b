// The console imports only types from @gangwan/contracts, but type-checking the package's index
// reaches contracts/src/inbound.ts, whose broker-side `InboundMessage.payload` is a Node `Buffer`.
// The browser build has no Node types; for the console's purposes a Buffer is its byte array.
type Buffer = Uint8Array
