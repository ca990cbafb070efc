/** Unix seconds: new-api's unit for the task center's times and the keys' access times. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);
