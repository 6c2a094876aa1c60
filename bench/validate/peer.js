// ajv (npm) validating the benchmark story in ninjs 2.2 form against IPTC's
// schema, read from ../shared/corpus/ninjs/specification at run time (and
// GeoJSON's schema from its test_suite):
// validations per second, best of three runs of ~0.3 s. The JSON is parsed
// once, as copydesk.validate gets a table; a second line adds JSON.parse.
const fs = require('fs');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const text = fs.readFileSync(process.argv[3], 'utf8');
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
// The schema refers to GeoJSON's; IPTC's test suite ships a copy beside it.
if (process.argv[4]) {
  ajv.addSchema(JSON.parse(fs.readFileSync(process.argv[4], 'utf8')), 'https://geojson.org/schema/GeoJSON.json');
}
const validate = ajv.compile(schema);
const doc = JSON.parse(text);
if (!validate(doc)) {
  console.error('ajv: the story is not valid ninjs 2.2: ' + JSON.stringify(validate.errors).slice(0, 400));
  process.exit(1);
}
function rate(fn) {
  let best = 0;
  for (let r = 0; r < 3; r++) {
    let n = 0, dt = 0;
    const t0 = process.hrtime.bigint();
    do {
      for (let i = 0; i < 50; i++) fn();
      n += 50;
      dt = Number(process.hrtime.bigint() - t0) / 1e9;
    } while (dt < 0.3);
    best = Math.max(best, n / dt);
  }
  return best;
}
console.log('ajv\t' + rate(() => validate(doc)));
console.log('ajv+parse\t' + rate(() => validate(JSON.parse(text))));
