// workerpool worker: methods called with pool.exec(name, args).
import workerpool from 'workerpool';

workerpool.worker({
  nothing() {},
  echo(x) {
    return x;
  },
});
