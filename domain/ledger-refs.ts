/**
 * What a ledger entry pays for: `<platform>:<public id>`. One charge and at most one
 * refund exist per reference, whatever retries or races happen.
 */
export const generationRef = (platform: string, publicId: string) => `${platform}:${publicId}`;
export const chargeKey = (ref: string) => `charge:${ref}`;
export const refundKey = (ref: string) => `refund:${ref}`;
