// piscina task: returns its argument (undefined for the empty round-trip task).
export default function task(x) {
  return x;
}
