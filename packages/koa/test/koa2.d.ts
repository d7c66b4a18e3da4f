declare module 'koa2' {
  const Koa: unknown;
  export default Koa;
}
