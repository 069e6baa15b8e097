// A stand-in WebSocket for the protocol socket's tests: records what the page
// sends; `open`, `receive` and `drop` play the server and the network.
export class FakeSocket {
  static OPEN = 1;
  static made = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.listeners = {};
    FakeSocket.made.push(this);
  }
  addEventListener(type, fn) {
    this.listeners[type] = fn;
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close() {}
  open() {
    this.readyState = 1;
    this.listeners.open();
  }
  receive(message) {
    this.listeners.message({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.listeners.close({ code });
  }
}
