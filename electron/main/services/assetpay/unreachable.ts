/*
 * Why AssetPay could not be reached, in the trader's words (issue 14: a raw
 * "getaddrinfo ENOTFOUND api.assetpay.gg" next to an indicator saying Online).
 * Reads the transport reason of a `not-sent` outcome (Node error codes, the
 * client's own timeouts). Pure.
 */

const BY_CODE: [RegExp, string][] = [
  [/ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL/, 'its address could not be found (DNS)'],
  [/ECONNREFUSED/, 'the connection was refused'],
  [/ECONNRESET|EPIPE|ECONNABORTED/, 'the connection was cut before the request left'],
  [/ENETUNREACH|EHOSTUNREACH|ENETDOWN/, 'the network cannot reach it'],
  [
    /CERT|SSL|TLS|self[- ]signed|DEPTH_ZERO|UNABLE_TO_VERIFY/i,
    'the secure connection failed (certificate)',
  ],
  [/ETIMEDOUT|connect timeout|not connected within/, 'the connection timed out'],
];

/** "its address could not be found (DNS)", … — the cause, without codes or host names. */
export function unreachableCause(reason: string): string {
  for (const [pattern, words] of BY_CODE) if (pattern.test(reason)) return words;
  return 'the connection failed';
}

/** One sentence for a failed call: what happened and what the trader can do. */
export function unreachableMessage(reason: string): string {
  return `AssetPay cannot be reached: ${unreachableCause(reason)}. Check the internet connection, VPN or firewall; everything else works offline.`;
}
