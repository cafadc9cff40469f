// The WebSocket transport of PROTOCOL.md section 4.2: one binary WsRequest per message, answers matched by id.
import { decode, encode, ERROR_NAMES, WsRequest, WsResponse } from './proto.js';

/** Codes after which the same request may go out again, or to another edge (section 17). */
const EDGE_PROBLEMS = new Set(['no_majority', 'timeout', 'not_ready', 'unreachable', 'lost']);

/** A failed call: {@code code} is the wire name of section 16, or "unreachable" (never sent) / "lost" (no answer). */
export class EdgeError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }

  /** The failure was the edge's or the fleet's availability (a reason to re-send, section 17). */
  get edgeProblem() {
    return EDGE_PROBLEMS.has(this.code);
  }
}

/** One edge reached over a WebSocket at {@code url}; reconnects on the next call after a failure. */
export class WsTransport {
  constructor(url, timeoutMs = 15000) {
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.ws = null;
    this.nextId = 1;
    this.pending = new Map();
  }

  connect() {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return Promise.resolve(this.ws);
    if (this.opening) return this.opening;
    this.opening = new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new WebSocket(this.url);
      } catch (e) {
        this.opening = null;
        reject(new EdgeError('unreachable', 'cannot open ' + this.url));
        return;
      }
      ws.binaryType = 'arraybuffer';
      const timer = setTimeout(() => ws.close(), this.timeoutMs);
      ws.onopen = () => {
        clearTimeout(timer);
        this.ws = ws;
        this.opening = null;
        resolve(ws);
      };
      ws.onerror = () => {};
      ws.onclose = () => {
        clearTimeout(timer);
        if (this.ws !== ws) {
          this.opening = null;
          reject(new EdgeError('unreachable', 'the vault server at ' + this.url + ' cannot be reached'));
          return;
        }
        this.ws = null;
        for (const p of this.pending.values()) p.fail(new EdgeError('lost', 'the connection closed before the answer came'));
        this.pending.clear();
      };
      ws.onmessage = (ev) => this.onMessage(ev.data);
    });
    return this.opening;
  }

  onMessage(data) {
    if (!(data instanceof ArrayBuffer)) return; // text frames are not part of the protocol
    let r;
    try {
      r = decode(WsResponse, new Uint8Array(data));
    } catch {
      return;
    }
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (r.error) {
      const name = ERROR_NAMES[r.error.code] || 'internal';
      p.fail(new EdgeError(name, r.error.message || name));
    } else {
      p.done(r.body);
    }
  }

  /**
   * Sends {@code method} with the serialized request {@code body}; resolves to the serialized response body.
   * Rejects with EdgeError: "unreachable" when nothing was sent, "lost" when the answer did not come.
   */
  async call(method, body, token) {
    const ws = await this.connect();
    const id = this.nextId++;
    const frame = encode(WsRequest, { frame_version: 1, id, method, token: token || '', body });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new EdgeError('lost', method + ': no answer within ' + this.timeoutMs / 1000 + ' s'));
      }, this.timeoutMs);
      this.pending.set(id, {
        done: (b) => {
          clearTimeout(timer);
          resolve(b);
        },
        fail: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      try {
        ws.send(frame);
      } catch {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(new EdgeError('unreachable', 'the request could not be sent'));
      }
    });
  }

  close() {
    if (this.ws) this.ws.close();
    this.ws = null;
  }
}
