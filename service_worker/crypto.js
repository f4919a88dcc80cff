/* Encryption at rest for the outbox: AES-GCM under a non-extractable key, one key per user.
 * Loaded by sw.js (importScripts) and by the page (static/js/outbox.js); `self` is either. */
(function (scope) {
  "use strict";

  const ALGORITHM = { name: "AES-GCM", length: 256 };
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  // extractable=false: the key can be used and stored (a CryptoKey is structured-cloneable
  // into IndexedDB) but never read out, not even by our own code.
  function newKey() {
    return crypto.subtle.generateKey(ALGORITHM, false, ["encrypt", "decrypt"]);
  }

  // The additional data binds a ciphertext to its user and entry: a record copied onto
  // another entry or user fails to decrypt instead of showing up under the wrong name.
  function binding(userId, clientId) {
    return encoder.encode(String(userId) + ":" + String(clientId));
  }

  async function seal(key, value, userId, clientId) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: iv, additionalData: binding(userId, clientId) },
      key, encoder.encode(JSON.stringify(value)));
    return { iv: iv, data: data };
  }

  async function open(key, sealed, userId, clientId) {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: sealed.iv, additionalData: binding(userId, clientId) },
      key, sealed.data);
    return JSON.parse(decoder.decode(plain));
  }

  scope.LedsagerCrypto = { newKey: newKey, seal: seal, open: open };
})(self);
