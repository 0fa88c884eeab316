import { eventSubscriberName } from '../../shared/contract/api';
import { contract, events, type EventName, type Method } from '../../shared/contract/contract';

/*
 * The test host's stand-in for the Electron preload: a classic script that
 * defines `window.bulkSeller` with exactly the BulkSellerApi shape — one
 * function per contract method and one `on<Event>` subscriber per push event,
 * both lists taken from the same `contract` / `events` objects the preload
 * uses — carried over the host's loopback WebSocket instead of ipcRenderer.
 *
 * Wire protocol (JSON text frames):
 *   page → host  { type: 'call', id, method, payload }
 *   host → page  { type: 'result', id, result: IpcResult }
 *                { type: 'event', event: EventName, payload }
 * A call made while the socket is (re)connecting waits for it; a call whose
 * answer was lost with the socket resolves with an `internal` error (it may or
 * may not have run, exactly like a crashed app — it is never resent).
 */

export interface BridgeConfig {
  wsPath: string;
  methods: Method[];
  events: { name: EventName; subscriber: string }[];
}

export function bridgeConfig(wsPath: string): BridgeConfig {
  return {
    wsPath,
    methods: Object.keys(contract) as Method[],
    events: (Object.keys(events) as EventName[]).map((name) => ({
      name,
      subscriber: eventSubscriberName(name),
    })),
  };
}

export function bridgeScript(config: BridgeConfig): string {
  // JSON inside a script: escape "<" so no string can close the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `/* AssetPay Bulk Seller — test host bridge (tests/host/bridge.ts). Not used by the app. */
(function () {
  'use strict';
  var CONFIG = ${json};
  var LOST = { ok: false, error: { code: 'internal', message: 'Lost the connection to the test host before the answer arrived.' } };
  var nextId = 1;
  var pending = new Map();
  var waiting = [];
  var listeners = new Map();
  var socket = null;
  var retries = 0;

  function url() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + CONFIG.wsPath;
  }

  function connect() {
    var ws = new WebSocket(url());
    socket = ws;
    ws.onopen = function () {
      retries = 0;
      var queued = waiting;
      waiting = [];
      for (var i = 0; i < queued.length; i++) ws.send(queued[i]);
    };
    ws.onmessage = function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (!data || typeof data !== 'object') return;
      if (data.type === 'result') {
        var resolve = pending.get(data.id);
        if (resolve) { pending.delete(data.id); resolve(data.result); }
      } else if (data.type === 'event') {
        var set = listeners.get(data.event);
        if (!set) return;
        Array.from(set).forEach(function (listener) {
          try { listener(data.payload); } catch (e) { setTimeout(function () { throw e; }); }
        });
      }
    };
    ws.onclose = function () {
      if (socket === ws) socket = null;
      pending.forEach(function (resolve) { resolve(LOST); });
      pending.clear();
      retries++;
      setTimeout(connect, Math.min(2000, 100 * retries));
    };
  }

  function call(method, payload) {
    return new Promise(function (resolve) {
      var id = nextId++;
      var frame;
      try {
        frame = JSON.stringify({ type: 'call', id: id, method: method, payload: payload === undefined ? {} : payload });
      } catch (e) {
        resolve({ ok: false, error: { code: 'invalid-request', message: 'The request could not be serialised.' } });
        return;
      }
      pending.set(id, resolve);
      if (socket && socket.readyState === 1) socket.send(frame);
      else waiting.push(frame);
    });
  }

  var api = {};
  CONFIG.methods.forEach(function (method) {
    api[method] = function (request) { return call(method, request); };
  });
  CONFIG.events.forEach(function (entry) {
    api[entry.subscriber] = function (listener) {
      if (typeof listener !== 'function') throw new TypeError(entry.subscriber + ' needs a function');
      var set = listeners.get(entry.name);
      if (!set) { set = new Set(); listeners.set(entry.name, set); }
      set.add(listener);
      return function () { set.delete(listener); };
    };
  });
  Object.freeze(api);
  Object.defineProperty(window, 'bulkSeller', { value: api, writable: false, configurable: false, enumerable: true });
  connect();
})();
`;
}
