import webpack from 'webpack';

// webpack 5 follows `new Worker(new URL(...))` and `new URL('x.wasm', import.meta.url)` by
// itself. The one line weft needs is for wasm-bindgen-rayon crates: webpack cannot build the
// helper they ship (its worker imports a directory, '../../../'), so weft's replaces it.
export default {
  entry: './src/main.js',
  output: { filename: 'main.js' },
  plugins: [new webpack.NormalModuleReplacementPlugin(/wasm-bindgen-rayon-[0-9a-f]+[\\/]src[\\/]workerHelpers\.js$/, 'weft/wasm-bindgen-rayon')],
};
