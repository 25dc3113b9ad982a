/** Key generation: random symmetric keys, account/device keypairs, seeded signing keys. */
import { randomBytes } from './random.js';
import { sodium } from './sodium.js';
import { KEY_BYTES, type BoxKeyPair, type BoxPublicKey, type BoxSecretKey, type SignKeyPair, type SignPublicKey, type SignSecretKey } from './key-types.js';

/** 32 random bytes as a key of the requested brand, e.g. `randomKey<ShareKey>()`. */
export function randomKey<K extends Uint8Array>(): K {
  return randomBytes(KEY_BYTES) as K;
}

/** A fresh X25519 keypair (seed from the platform CSPRNG). */
export function newBoxKeyPair(): BoxKeyPair {
  return boxKeyPairFromSecret(randomBytes(32) as BoxSecretKey);
}

/** The X25519 keypair of a given 32-byte secret key. */
export function boxKeyPairFromSecret(secretKey: BoxSecretKey): BoxKeyPair {
  return { publicKey: sodium().crypto_scalarmult_base(secretKey) as BoxPublicKey, secretKey };
}

/** A fresh Ed25519 keypair (account signing key, device key). */
export function newSignKeyPair(): SignKeyPair {
  return signKeyPairFromSeed(randomBytes(32));
}

/** Ed25519 keypair from a 32-byte seed (crypto_sign_seed_keypair); secret key is 64 bytes. */
export function signKeyPairFromSeed(seed: Uint8Array): SignKeyPair {
  const kp = sodium().crypto_sign_seed_keypair(seed);
  return { publicKey: kp.publicKey as SignPublicKey, secretKey: kp.privateKey as SignSecretKey };
}
