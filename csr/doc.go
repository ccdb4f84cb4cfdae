// Package csr makes private keys and certificate signing requests in the
// shape the Axys gateway expects, and reads every certificate, key, CSR and
// PKCS#12 format a tenant is likely to hold, saying in plain words what a
// file is when it is not what was asked for.
//
// It touches files (reading inputs, writing keys safely) but never the
// network or the terminal.
package csr
