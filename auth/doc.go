// Package auth holds what sign-in and permissions need, independent of HTTP
// and of the database: roles per study and the actions each allows,
// password hashing with argon2id (RFC 9106; encoded in the PHC string
// format that the reference argon2 command and libargon2 print), personal
// access tokens (random, shown once, stored as SHA-256), a sign-in limiter
// with temporary lock-out, and the hash chain that makes the audit log
// tamper-evident (each row carries the hash of the previous row, so an
// edited or removed row breaks every hash after it).
//
// Password parameters follow the OWASP Password Storage Cheat Sheet (2023)
// minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
package auth
