/** Nominal typing for ids and keys (as Bitwarden does): a ShareId is not an ItemId. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };
