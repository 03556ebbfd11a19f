// Ghost's oEmbed library, @extractus/oembed-extractor, asked for a chart by its address:
// node tests/oembed_extractor.mjs <address>  prints {"data": <its oEmbed data>, "asked": [every URL fetched]}.
// No provider in its list matches 127.0.0.1, so it discovers the endpoint from the page's
// <link rel="alternate" type="application/json+oembed">; its fetcher here refuses any address
// off the machine, so nothing leaves it whatever the library would try.
import { extract } from "@extractus/oembed-extractor";

const [address] = process.argv.slice(2);
const asked = [];
const localOnly = (url) => {
  asked.push(String(url));
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1") throw new Error(`refused, off the machine: ${url}`);
  return fetch(url);
};
const data = await extract(address, {}, localOnly);
process.stdout.write(JSON.stringify({ data, asked }) + "\n");
