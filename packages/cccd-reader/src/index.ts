/** @module placeholder until implemented */
export {};
