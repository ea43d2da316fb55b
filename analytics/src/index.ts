/** Package version marker; the package is filled by a later issue (see README.md). */
export const PACKAGE = '@gangwan/analytics'
