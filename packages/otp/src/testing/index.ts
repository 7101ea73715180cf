/**
 * @module
 * Test kit for `@vneid/otp` stores: the {@link OtpStore} contract as runner-neutral checks
 * (`otpStoreContractCases`) and as a suite for vitest, jest or mocha
 * (`describeOtpStoreContract`). It imports no test framework.
 */
export type { OtpStoreContractCase, OtpStoreFactory, TestRunnerApi } from './store-contract.ts';
export { describeOtpStoreContract, otpStoreContractCases } from './store-contract.ts';
