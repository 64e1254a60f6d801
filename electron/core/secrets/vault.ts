/** Seals secrets at rest. Electron uses safeStorage; plain Node uses NodeVault. */
export interface Vault {
  seal(plain: string): string;
  /** Throws a DeskError when the sealed value cannot be opened with this vault's key. */
  open(sealed: string): string;
}

export function maskSecret(secret: string): string {
  return `••••${secret.slice(-4)}`;
}
