import { createECDH, createHmac } from 'node:crypto';

/** A private P-256 signing key as a JWK, in the shape oidc-provider's `jwks` configuration takes. */
// A type, not an interface, so that it is assignable to node:crypto's JsonWebKey (an index signature).
export type SigningJwk = {
  kty: 'EC';
  crv: 'P-256';
  d: string;
  x: string;
  y: string;
  use: 'sig';
  alg: 'ES256';
};

/**
 * An ES256 key derived from `secret` (the provider's first cookie key), so that a restarted provider still accepts the
 * id_token_hint of a session the platform kept across the restart (RSA keys cannot be derived from a
 * seed this simply). P-256 private keys are scalars below the group order; a digest above it is
 * vanishingly rare and simply replaced by the next one.
 */
export function signingKey(secret: string): SigningJwk {
  for (let counter = 0; counter < 16; counter++) {
    const scalar = createHmac('sha256', secret).update(`gemeng-id token signing key ${counter}`).digest();
    try {
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(scalar);
      const point = ecdh.getPublicKey();
      return {
        kty: 'EC',
        crv: 'P-256',
        d: scalar.toString('base64url'),
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
        use: 'sig',
        alg: 'ES256',
      };
    } catch {
      continue;
    }
  }
  throw new Error('could not derive a signing key from the cookie key');
}
