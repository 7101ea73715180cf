/**
 * @module
 * The public CSCA certificate of Viet Nam ("CSCA Vietnam", ECDSA P-384, self-signed), the trust
 * anchor of CCCD / Căn cước chips issued from 2021 (ICAO Doc 9303 Part 12 §5.1). Shipped as a
 * string so bundlers need no file loader; the same PEM is in `data/csca-vietnam.pem`.
 */

/**
 * PEM of "CSCA Vietnam" (C=VN, O=Vietnam Government Information Security Commission,
 * serialNumber=001). SHA-256 fingerprint
 * `6F0A20D63A43FC589EAF0D8C52113A2A8BFA341C6F2FAB04121238AA0C22B1A9`.
 */
export const VIETNAM_CSCA_PEM: string = `
-----BEGIN CERTIFICATE-----
MIIC5TCCAmygAwIBAgIUBD5GWOC6bK6JH7zJ6t/PbGvLpV8wCgYIKoZIzj0EAwMw
bzELMAkGA1UEBhMCVk4xOzA5BgNVBAoMMlZpZXRuYW0gR292ZXJubWVudCBJbmZv
cm1hdGlvbiBTZWN1cml0eSBDb21taXNzaW9uMQwwCgYDVQQFEwMwMDExFTATBgNV
BAMMDENTQ0EgVmlldG5hbTAeFw0yMTAxMTkxODExMzZaFw00NjA0MTMxODExMzZa
MG8xCzAJBgNVBAYTAlZOMTswOQYDVQQKDDJWaWV0bmFtIEdvdmVybm1lbnQgSW5m
b3JtYXRpb24gU2VjdXJpdHkgQ29tbWlzc2lvbjEMMAoGA1UEBRMDMDAxMRUwEwYD
VQQDDAxDU0NBIFZpZXRuYW0wdjAQBgcqhkjOPQIBBgUrgQQAIgNiAAQlEefsU95R
JMnALoChI3ykK33q0i+u4cFgnQyiCxIMV9BWlsPu5CBXAtuz65EBcLAy0ZJPZi+H
qd2yK9rZHUMPGSvIE+h99zztQhx7hGO+5abVVoRPQLAqaXLi930BlxejgcgwgcUw
EgYDVR0TAQH/BAgwBgEB/wIBADAfBgNVHSMEGDAWgBRXq3UIIkSD8EnMY1sslcTk
RqWICDAyBgNVHR8EKzApMCegJaAjhiFodHRwOi8vY2EuZ292LnZuL2NzY2Etdmll
dG5hbS5jcmwwHQYDVR0OBBYEFFerdQgiRIPwScxjWyyVxORGpYgIMCsGA1UdEAQk
MCKADzIwMjEwMTE5MTgxMTM2WoEPMjAyNjAxMjExODExMzZaMA4GA1UdDwEB/wQE
AwIBBjAKBggqhkjOPQQDAwNnADBkAjBe8uH52FJAjNL3GmQUElpOIcDFbfm7o90e
KqDvIROq5xWE79OVNWHJWNDYG47wDnkCMGHbnmfYN3+rSJZWKtwdkredJCgCTcld
jYPYWYzmYFFhuMG6lmcYYxDcbZ3sEqxofg==
-----END CERTIFICATE-----
`.trim();

/** SHA-256 fingerprint (upper-case hex) of {@link VIETNAM_CSCA_PEM}'s DER bytes. */
export const VIETNAM_CSCA_SHA256: string = '6F0A20D63A43FC589EAF0D8C52113A2A8BFA341C6F2FAB04121238AA0C22B1A9';

/**
 * The Vietnamese CSCA certificate (PEM), an opt-in trust anchor for Vietnamese cards:
 * `createTrustStore({ certificates: [vietnamCsca()] })`.
 *
 * Its certificate is valid 2021-01-19 – 2046-04-13, but its **private key usage period ends
 * 2026-01-21**: document signers issued after that date are certified by a newer CSCA key,
 * which this certificate cannot vouch for. To verify newer cards, add the newer CSCA
 * certificate(s) and any link certificate published by Viet Nam, or an ICAO CSCA master list
 * that contains them, beside this one:
 *
 * ```ts
 * createTrustStore({
 *   certificates: [vietnamCsca(), newerCscaPem, linkCertificateDer],
 *   masterLists: [icaoMasterList], masterListSigners: [masterListSignerAnchor],
 * });
 * ```
 */
export function vietnamCsca(): string {
  return VIETNAM_CSCA_PEM;
}

/** The issuing country of CCCD / Căn cước chips: `VN` in certificates, `VNM` in the MRZ. */
export const VIETNAM_COUNTRY: { readonly alpha2: 'VN'; readonly alpha3: 'VNM' } = {
  alpha2: 'VN',
  alpha3: 'VNM',
};
