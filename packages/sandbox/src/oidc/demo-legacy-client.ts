/**
 * @module
 * The seeded demo clients of the legacy VNeID SSO profile (`--profile vneid-legacy`):
 * `demo-legacy` (plain `code` in the callback) and `demo-legacy-enc` (encrypted `code` plus
 * `encrypt_key`), both with the client secret and the RSA key pair below. The RSA PRIVATE KEY IS
 * PUBLISHED TEST MATERIAL so that relying-party tests can decrypt the `{data,key}` envelopes;
 * never use it anywhere else. Redirect URIs: any port on `http://127.0.0.1:<port>/callback` and
 * `http://localhost:<port>/callback` (the legacy SSO is not FAPI; exact matching is not needed
 * there), plus `https://rp.example/callback`.
 */

export const DEMO_LEGACY_CLIENT_ID = 'demo-legacy';
export const DEMO_LEGACY_ENC_CLIENT_ID = 'demo-legacy-enc';
export const DEMO_LEGACY_CLIENT_SECRET = 'demo-legacy-sandbox-secret';

/** Redirect URI patterns: `*` stands for a port number. */
export const DEMO_LEGACY_REDIRECT_URIS: readonly string[] = [
  'http://127.0.0.1:*/callback',
  'http://localhost:*/callback',
  'https://rp.example/callback',
];

export const DEMO_LEGACY_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1sF8Sn4iLv8944WOt58t
TQLY0ckC4Fne9e9ts/gpjm2dzR2lL7wEGS32n5eBYOt5A0G/7KTGBKdS3O0vF4Bx
XYLNFDCqKVcb80ffgJ0Ll4Qvc1HUE7DMWw6/tRIY6/nSX6lI7zs0YuRu0uJ713T6
lKRVD5T3ZUhL3gKbor5j43p/oSn3Yuso9TvL1VRGr02hv/+cuka0RPNrp8uZmOXs
uih76hrwFaNcha7QBPl7oDrQgEq387zKXMexAgyO1wSV3GgtWEgK5tbZ5wsKj3Lc
2u30PLeB1H5r7BJjru2mzzGT/ubALjTnoHOts7IsKBmaqoXohmL4iLR8KGRVJIXX
JQIDAQAB
-----END PUBLIC KEY-----
`;

/** PKCS#8 PEM. Test material. */
export const DEMO_LEGACY_PRIVATE_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDWwXxKfiIu/z3j
hY63ny1NAtjRyQLgWd71722z+CmObZ3NHaUvvAQZLfafl4Fg63kDQb/spMYEp1Lc
7S8XgHFdgs0UMKopVxvzR9+AnQuXhC9zUdQTsMxbDr+1Ehjr+dJfqUjvOzRi5G7S
4nvXdPqUpFUPlPdlSEveApuivmPjen+hKfdi6yj1O8vVVEavTaG//5y6RrRE82un
y5mY5ey6KHvqGvAVo1yFrtAE+XugOtCASrfzvMpcx7ECDI7XBJXcaC1YSArm1tnn
CwqPctza7fQ8t4HUfmvsEmOu7abPMZP+5sAuNOegc62zsiwoGZqqheiGYviItHwo
ZFUkhdclAgMBAAECggEAIzubKJ2I/izh+nHu+DElPX06FTDlR+l2quKdHOmZ58QU
H5K9hxdRlM/1pjk1ALGhKOeglTJzSlApSBWhpDluX+kVvDo/sIiaDU+9W1xoinMl
VcYXBSP8YvQIf6x4aj6SRR+A177e2Vqg0/hUWQTYF4reabAG5pb123aSEiEqQieJ
trurZW841Yne9yAg7oHwUxOjG/4FF0nQiWj2npLSeKFhpgxzLm76uLj/VH6DXCmA
XEgJa1v61EoR24N6lsHabYAT4+E/yTtpUXY/j7BhInsMtcHhoxpAlSvNeN9wDWXS
SlmXRHSZlGKyZ0BI+IPm1giQhRMFLQRa+T7mNfkAAQKBgQD4wiST/YRKxyEjrjeu
AhpiKNWIXybJut1nPcJif3ZQdovr/+pgcKhtYMM6JoAXw8LdN99ctNo695NbwIUI
I8baiGx4oYyyP2hMJlLZS5tPf4UAr6gyOs0hKHjxVTvY9isaGXeEhh6FYdKFMYva
qcJJc1UEirxKiuvlcKj2My855QKBgQDdAfDEIbhu1CKMs1LheI93eJgHCAzXvxB/
YpJbfchY8Z111UhXYqSe9fl9KrdMXnKzJSv7i7V13Xf/Bx3baKjAS7usPRXs+dT4
HOuYviEOboxmMs7BAWjSxx0xeiYpu41XObkZato9dZNIRYOleXaSHzSLRv7RCb9B
cQVJ39VUQQKBgQCz/9dz9pgJe/mw1dmYYhExQhbxLNjmU/7tO7UyjMTSCFXLGU1B
J4PYUZIyu7UofRC9/jXz4TGgRZEtbStV7n1vmBPVXiBuwo73uytr7NefOMjG7FQq
tH3GJoENL/20Srx5kD/5dwsSvOwWUPm/6eKaP4gfVzxUPB3h0hmQvQzJOQKBgQCQ
YTonB1hznsZLYMMeZSJkjDXVMh8husJOVdkDSDLgWEfjuMgfvmOJLWwlpwhELdeE
zR3koSqUq3A+/Sk2MzM7HL6oEOgH/lZxGIOZL2xs/y9dfIexcvhF6qpZrlDMJqh5
eU5BGpskV3E2X6NXMPiTESvEaUcCzPlTCUDJOB8ngQKBgQDhQSyS6niNapKU4G63
WJZ8xXJHCcgBeu1fF2bjqg+rHHrJMeE769QvlXbxGzcrhiJOJF7k6uIsMplsz85l
h7cJmOnZjr2ceuzhQSCJjT1QtGs2DyN4S2JINufUwFqMfQSw2As4ie/JFYw0H7Ne
uIaXiU3XLwSUmVIg62ewK0t85Q==
-----END PRIVATE KEY-----
`;

/** The same private key as a JWK (`n`, `d` for RSA libraries that take numbers). Test material. */
export const DEMO_LEGACY_PRIVATE_JWK = {
  kty: 'RSA',
  n: '1sF8Sn4iLv8944WOt58tTQLY0ckC4Fne9e9ts_gpjm2dzR2lL7wEGS32n5eBYOt5A0G_7KTGBKdS3O0vF4BxXYLNFDCqKVcb80ffgJ0Ll4Qvc1HUE7DMWw6_tRIY6_nSX6lI7zs0YuRu0uJ713T6lKRVD5T3ZUhL3gKbor5j43p_oSn3Yuso9TvL1VRGr02hv_-cuka0RPNrp8uZmOXsuih76hrwFaNcha7QBPl7oDrQgEq387zKXMexAgyO1wSV3GgtWEgK5tbZ5wsKj3Lc2u30PLeB1H5r7BJjru2mzzGT_ubALjTnoHOts7IsKBmaqoXohmL4iLR8KGRVJIXXJQ',
  e: 'AQAB',
  d: 'IzubKJ2I_izh-nHu-DElPX06FTDlR-l2quKdHOmZ58QUH5K9hxdRlM_1pjk1ALGhKOeglTJzSlApSBWhpDluX-kVvDo_sIiaDU-9W1xoinMlVcYXBSP8YvQIf6x4aj6SRR-A177e2Vqg0_hUWQTYF4reabAG5pb123aSEiEqQieJtrurZW841Yne9yAg7oHwUxOjG_4FF0nQiWj2npLSeKFhpgxzLm76uLj_VH6DXCmAXEgJa1v61EoR24N6lsHabYAT4-E_yTtpUXY_j7BhInsMtcHhoxpAlSvNeN9wDWXSSlmXRHSZlGKyZ0BI-IPm1giQhRMFLQRa-T7mNfkAAQ',
  p: '-MIkk_2ESschI643rgIaYijViF8mybrdZz3CYn92UHaL6__qYHCobWDDOiaAF8PC3TffXLTaOveTW8CFCCPG2ohseKGMsj9oTCZS2UubT3-FAK-oMjrNISh48VU72PYrGhl3hIYehWHShTGL2qnCSXNVBIq8Sorr5XCo9jMvOeU',
  q: '3QHwxCG4btQijLNS4XiPd3iYBwgM178Qf2KSW33IWPGdddVIV2KknvX5fSq3TF5ysyUr-4u1dd13_wcd22iowEu7rD0V7PnU-BzrmL4hDm6MZjLOwQFo0scdMXomKbuNVzm5GWraPXWTSEWDpXl2kh80i0b-0Qm_QXEFSd_VVEE',
  dp: 's__Xc_aYCXv5sNXZmGIRMUIW8SzY5lP-7Tu1MozE0ghVyxlNQSeD2FGSMru1KH0Qvf418-ExoEWRLW0rVe59b5gT1V4gbsKO97sra-zXnzjIxuxUKrR9xiaBDS_9tEq8eZA_-XcLErzsFlD5v-nimj-IH1c8VDwd4dIZkL0MyTk',
  dq: 'kGE6JwdYc57GS2DDHmUiZIw11TIfIbrCTlXZA0gy4FhH47jIH75jiS1sJacIRC3XhM0d5KEqlKtwPv0pNjMzOxy-qBDoB_5WcRiDmS9sbP8vXXyHsXL4ReqqWa5QzCaoeXlOQRqbJFdxNl-jVzD4kxErxGlHAsz5UwlAyTgfJ4E',
  qi: '4UEskup4jWqSlOBut1iWfMVyRwnIAXrtXxdm46oPqxx6yTHhO-vUL5V28Rs3K4YiTiRe5OriLDKZbM_OZYe3CZjp2Y69nHrs4UEgiY09ULRrNg8jeEtiSDbn1MBajH0EsNgLOInvyRWMNB-zXriGl4lN1y8ElJlSIOtnsCtLfOU',
} as const;
