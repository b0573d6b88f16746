/**
 * memcached's meta commands (mg, ms, md, ma, mn, me): their flags, return codes, quiet mode and
 * errors. Every reply below is what memcached 1.6.18 sends; CAS values and TTLs that differ from
 * server to server are matched by pattern, and captured CAS values feed later C flags.
 * @module
 */
import { Capability } from '../capabilities.ts';
import type { ConformanceCase } from '../conformance-case.ts';
import { literal, matching, say } from '../transcript.ts';

const META = [Capability.Meta];

/** An `HD`-style line whose `c` flag is captured as `name`: `HD c123`. */
function withCas(code: string, name = 'cas', rest = ''): ReturnType<typeof matching> {
  return matching(new RegExp(`^${code} c(?<${name}>\\d+)${literal(rest)}\\r\\n$`));
}

const base64 = (key: string): string => Buffer.from(key, 'latin1').toString('base64');

/** The meta cases. */
export const META_CASES: readonly ConformanceCase[] = [
  {
    name: 'mn answers MN; ms stores and mg returns value, flags, size and key in the order asked',
    needs: META,
    transcript: (key) => [
      say('mn\r\n', 'MN\r\n'),
      say(`ms ${key('a')} 5 F42 T0\r\nhello\r\n`, 'HD\r\n'),
      say(`mg ${key('a')} s v f k Ox1\r\n`, `VA 5 s5 f42 k${key('a')} Ox1\r\nhello\r\n`),
      say(`mg ${key('a')}\r\n`, 'HD\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 42 5\r\nhello\r\nEND\r\n`),
    ],
  },
  {
    name: 'mg on a miss is EN, echoing only O and k; with q it is silent',
    needs: META,
    transcript: (key) => [
      say(`mg ${key('x')} v\r\n`, 'EN\r\n'),
      say(`mg ${key('x')} v s k O99 c\r\n`, `EN k${key('x')} O99\r\n`),
      say(`mg ${key('x')} q v\r\nmn\r\n`, 'MN\r\n'),
    ],
  },
  {
    name: 'a quiet pipeline: misses and stores say nothing, hits and mn answer in order',
    needs: [...META, Capability.Pipelining],
    transcript: (key) => [
      say(`ms ${key('a')} 1 q\r\n1\r\nms ${key('b')} 1 q MR\r\n2\r\nmg ${key('x')} q v\r\nmg ${key('a')} q v k\r\nmg ${key('y')} q v\r\nmn\r\n`,
        `NS\r\nVA 1 k${key('a')}\r\n1\r\nMN\r\n`),
    ],
  },
  {
    name: 'ms modes: E adds, A appends, P prepends, R replaces, S sets; NS where they do not apply',
    needs: META,
    transcript: (key) => [
      say(`ms ${key('a')} 3 MR\r\nnew\r\n`, 'NS\r\n'),
      say(`ms ${key('a')} 3 MA\r\nnew\r\n`, 'NS\r\n'),
      say(`ms ${key('a')} 3 ME F7\r\nmid\r\n`, 'HD\r\n'),
      say(`ms ${key('a')} 3 ME\r\nbad\r\n`, 'NS\r\n'),
      say(`ms ${key('a')} 2 MA F9\r\n>>\r\n`, 'HD\r\n'),
      say(`ms ${key('a')} 2 MP\r\n<<\r\n`, 'HD\r\n'),
      say(`mg ${key('a')} v f\r\n`, 'VA 7 f7\r\n<<mid>>\r\n'),
      say(`ms ${key('a')} 1 MR\r\nr\r\n`, 'HD\r\n'),
      say(`ms ${key('a')} 1 MS\r\ns\r\n`, 'HD\r\n'),
      say(`mg ${key('a')} v f\r\n`, 'VA 1 f0\r\ns\r\n'),
    ],
  },
  {
    name: 'ms with C stores only on the current CAS (EX otherwise, NF when missing); c returns the new CAS',
    needs: META,
    transcript: (key) => [
      say(`ms ${key('a')} 2 c\r\nv1\r\n`, withCas('HD')),
      say(({ cas = '' }) => `ms ${key('a')} 2 C${cas} c\r\nv2\r\n`, withCas('HD', 'next')),
      say(({ cas = '' }) => `ms ${key('a')} 2 C${cas} c\r\nv3\r\n`, 'EX c0\r\n'),
      say(`mg ${key('a')} c v\r\n`, ({ next = '' }) => `VA 2 c${next}\r\nv2\r\n`),
      say(`ms ${key('x')} 2 C1\r\nv1\r\n`, 'NF\r\n'),
      say(`ms ${key('x')} 2 C1 ME\r\nv1\r\n`, 'HD\r\n'),
    ],
  },
  {
    name: 'ms with q is silent on HD and still answers NS; k and O are echoed',
    needs: META,
    transcript: (key) => [
      say(`ms ${key('a')} 1 q ME\r\n1\r\n`, ''),
      say(`ms ${key('a')} 1 q ME k O7\r\n2\r\n`, `NS k${key('a')} O7\r\n`),
      say(`mg ${key('a')} v\r\n`, 'VA 1\r\n1\r\n'),
    ],
  },
  {
    name: 'T sets the TTL, t reports it (-1 for none); a T in mg touches, and t before it sees the old TTL',
    needs: META,
    transcript: (key) => [
      say(`ms ${key('a')} 1\r\nx\r\n`, 'HD\r\n'),
      say(`mg ${key('a')} t\r\n`, 'HD t-1\r\n'),
      say(`mg ${key('a')} t T100\r\n`, 'HD t-1\r\n'),
      say(`mg ${key('a')} t\r\n`, matching(/^HD t(99|100)\r\n$/)),
      say(`ms ${key('b')} 1 T-1\r\nx\r\n`, 'HD\r\n'),
      say(`mg ${key('b')} v\r\n`, 'EN\r\n'),
    ],
  },
  {
    name: 'md deletes (HD), misses (NF), checks C (EX); q hides only HD',
    needs: META,
    transcript: (key) => [
      say(`md ${key('a')}\r\n`, 'NF\r\n'),
      say(`md ${key('a')} q\r\n`, 'NF\r\n'),
      say(`ms ${key('a')} 1\r\nx\r\n`, 'HD\r\n'),
      say(`md ${key('a')} C1 k O5\r\n`, `EX k${key('a')} O5\r\n`),
      say(`md ${key('a')} q\r\nmn\r\n`, 'MN\r\n'),
      say(`mg ${key('a')}\r\n`, 'EN\r\n'),
    ],
  },
  {
    name: 'md I marks an item stale: the next mg wins the recache (X W), later ones see Z; ms with an older C and I stores it stale',
    needs: META,
    transcript: (key) => [
      say(`ms ${key('a')} 1 c\r\nx\r\n`, withCas('HD', 'old')),
      say(`md ${key('a')} I T30\r\n`, 'HD\r\n'),
      say(`mg ${key('a')} v\r\n`, 'VA 1 X W\r\nx\r\n'),
      say(`mg ${key('a')} v\r\n`, 'VA 1 Z X\r\nx\r\n'),
      say(({ old = '' }) => `ms ${key('a')} 1 C${old} I\r\ny\r\n`, 'HD\r\n'),
      say(`mg ${key('a')} v t\r\n`, matching(/^VA 1 t(29|30) Z X\r\ny\r\n$/, 'y\r\n')),
      say(`ms ${key('a')} 1\r\nz\r\n`, 'HD\r\n'),
      say(`mg ${key('a')} v\r\n`, 'VA 1\r\nz\r\n'),
    ],
  },
  {
    name: 'mg N vivifies a miss as an empty item and wins (W); R wins a recache when the TTL is below it',
    needs: META,
    transcript: (key) => [
      say(`mg ${key('a')} N30 v s f\r\n`, 'VA 0 s0 f0 W\r\n\r\n'),
      say(`mg ${key('a')} N30 v\r\n`, 'VA 0 Z\r\n\r\n'),
      say(`ms ${key('b')} 1 T60\r\nx\r\n`, 'HD\r\n'),
      say(`mg ${key('b')} R10\r\n`, 'HD\r\n'),
      say(`mg ${key('b')} R200\r\n`, 'HD W\r\n'),
      say(`mg ${key('b')} R200\r\n`, 'HD Z\r\n'),
    ],
  },
  {
    name: 'mg h and l report whether the item was fetched before and its idle seconds; u does not bump it',
    needs: META,
    transcript: (key) => [
      say(`ms ${key('a')} 1\r\nx\r\n`, 'HD\r\n'),
      say(`mg ${key('a')} h l u\r\n`, 'HD h0 l0\r\n'),
      say(`mg ${key('a')} h\r\n`, 'HD h0\r\n'),
      say(`mg ${key('a')} h\r\n`, 'HD h1\r\n'),
    ],
  },
  {
    name: 'ma increments by D (default 1), M switches to decrement (stops at 0), N and J create, v returns the value',
    needs: META,
    transcript: (key) => [
      say(`ma ${key('a')}\r\n`, 'NF\r\n'),
      say(`ma ${key('a')} q\r\n`, 'NF\r\n'),
      say(`ma ${key('a')} N0 J10 v\r\n`, 'VA 2\r\n10\r\n'),
      say(`ma ${key('a')} v\r\n`, 'VA 2\r\n11\r\n'),
      say(`ma ${key('a')} MD D3 v t\r\n`, 'VA 1 t-1\r\n8\r\n'),
      say(`ma ${key('a')} M- D100 v\r\n`, 'VA 1\r\n0\r\n'),
      say(`ma ${key('a')} q D5\r\nmn\r\n`, 'MN\r\n'),
      say(`ma ${key('a')} D18446744073709551615 v k\r\n`, `VA 1 k${key('a')}\r\n4\r\n`),
      say(`ma ${key('a')} C1\r\n`, 'EX\r\n'),
      say(`ma ${key('b')} N0 q\r\n`, 'HD\r\n'),
    ],
  },
  {
    name: 'ma on a non-number, and with bad flags or mode, answers memcached\'s errors',
    needs: META,
    transcript: (key) => [
      say(`ms ${key('a')} 1\r\nx\r\n`, 'HD\r\n'),
      say(`ma ${key('a')} q\r\n`, 'CLIENT_ERROR cannot increment or decrement non-numeric value\r\n'),
      say(`ma ${key('a')} Mx\r\n`, 'CLIENT_ERROR invalid mode for ma M token\r\n'),
      say(`ma ${key('a')} Dx\r\n`, 'CLIENT_ERROR invalid or duplicate flag\r\n'),
      say(`ma ${key('a')} D18446744073709551616\r\n`, 'CLIENT_ERROR invalid or duplicate flag\r\n'),
      say(`ma ${key('a')} zz\r\n`, 'CLIENT_ERROR invalid or duplicate flag\r\n'),
    ],
  },
  {
    name: 'b: a base64 key is decoded; an item stored with b echoes its key in base64 with b, even to a plain mg',
    needs: META,
    transcript: (key) => [
      say(`ms ${base64(key('a'))} 2 b k\r\nhi\r\n`, `HD k${base64(key('a'))} b\r\n`),
      say(`mg ${key('a')} v k\r\n`, `VA 2 k${base64(key('a'))} b\r\nhi\r\n`),
      say(`mg ${base64(key('a'))} b v\r\n`, 'VA 2\r\nhi\r\n'),
      say(`md ${base64(key('a'))} b k\r\n`, `HD k${base64(key('a'))} b\r\n`),
      say(`mg ${base64(key('x'))} b k\r\n`, `EN k${base64(key('x'))} b\r\n`),
      say('mg abc b\r\n', 'CLIENT_ERROR error decoding key\r\n'),
    ],
  },
  {
    name: 'bad meta lines get memcached\'s words: unknown or repeated flags, bad tokens, too many flags, long opaques',
    needs: META,
    transcript: (key) => [
      say('mg\r\n', 'ERROR\r\n'),
      say('mx foo\r\n', 'ERROR\r\n'),
      say(`mg ${key('a')} z\r\n`, 'CLIENT_ERROR invalid flag\r\n'),
      say(`mg ${key('a')} v v\r\n`, 'CLIENT_ERROR duplicate flag\r\n'),
      say(`mg ${key('a')} Tx\r\n`, 'CLIENT_ERROR bad token in command line format\r\n'),
      say(`mg ${key('a')} Tx Dx\r\n`, 'CLIENT_ERROR invalid numeric delta value\r\n'),
      say(`mg ${key('a')} q z\r\n`, 'CLIENT_ERROR invalid flag\r\n'),
      say(`mg ${key('a')} ${'a b c d e f g h i j k l m n o p q r'}\r\n`, 'CLIENT_ERROR options flags are too long\r\n'),
      say(`md ${key('a')} ${'a b c d e f g h i j k l m n o p q r'}\r\n`, 'CLIENT_ERROR options flags too long\r\n'),
      say(`mg ${key('a')} O${'x'.repeat(32)}\r\n`, 'CLIENT_ERROR opaque token too long\r\n'),
      say(`md ${key('a')} zz\r\n`, 'CLIENT_ERROR invalid or duplicate flag\r\n'),
      say(`mg ${'k'.repeat(251)} v\r\n`, 'CLIENT_ERROR bad command line format\r\n'),
      say('me\r\n', 'CLIENT_ERROR bad command line format\r\n'),
    ],
  },
  {
    name: 'ms refused after its length swallows the data block; refused before it reads the block as commands',
    needs: META,
    transcript: (key) => [
      say(`ms ${key('a')} 2 zz\r\nmn\r\n`, 'CLIENT_ERROR invalid flag\r\n'),
      say(`ms ${key('a')} 2 MX\r\nmn\r\n`, 'CLIENT_ERROR invalid mode for ms M token\r\n'),
      say(`ms ${key('a')} 2 Mxx\r\nmn\r\n`, 'CLIENT_ERROR incorrect length for M token\r\n'),
      say(`ms ${key('a')} 2 F-1\r\nmn\r\n`, 'CLIENT_ERROR bad command line format\r\n'),
      say(`ms ${key('a')} 2 O${'x'.repeat(32)}\r\nmn\r\n`, 'CLIENT_ERROR opaque token too long\r\n'),
      say(`ms ${key('a')} xx\r\nmn\r\n`, 'CLIENT_ERROR bad command line format\r\nMN\r\n'),
      say(`ms ${key('a')}\r\n`, 'CLIENT_ERROR bad command line format\r\n'),
      say(`ms ${key('a')} 2\r\nhiX\r\n`, 'CLIENT_ERROR bad data chunk\r\nERROR\r\n'),
      say(`mg ${key('a')}\r\n`, 'EN\r\n'),
    ],
  },
  {
    name: 'a too-large ms answers SERVER_ERROR, swallows its data and drops the old value, whatever its mode',
    needs: META,
    transcript: (key) => {
      const big = 'x'.repeat(1024 * 1024);
      return [
        say(`ms ${key('a')} 3\r\nold\r\n`, 'HD\r\n'),
        say(`ms ${key('a')} ${big.length} MA\r\n${big}\r\n`, 'SERVER_ERROR object too large for cache\r\n'),
        say(`mg ${key('a')} v\r\n`, 'EN\r\n'),
      ];
    },
  },
  {
    name: 'me describes an item (exp, la, cas, fetch, cls, size) and misses with EN',
    needs: META,
    transcript: (key) => [
      say(`me ${key('x')}\r\n`, 'EN\r\n'),
      say(`ms ${key('a')} 2 T100\r\nhi\r\n`, 'HD\r\n'),
      say(`me ${key('a')}\r\n`, matching(new RegExp(`^ME ${literal(key('a'))} exp=-(99|100) la=0 cas=\\d+ fetch=no cls=\\d+ size=${56 + key('a').length + 1 + 2 + 2}\\r\\n$`))),
      say(`mg ${key('a')}\r\n`, 'HD\r\n'),
      say(`me ${key('a')} ignored words\r\n`, matching(/^ME \S+ exp=-\d+ la=0 cas=\d+ fetch=yes cls=\d+ size=\d+\r\n$/)),
    ],
  },
  {
    name: 'E sets an explicit 64-bit CAS that C, c and gets keep exactly, past 2^53 too',
    needs: META,
    difference: 'the E flag arrived in memcached 1.6.27; 1.6.18 answers CLIENT_ERROR invalid flag',
    transcript: (key) => [
      say(`ms ${key('a')} 1 E9007199254740992 c\r\nx\r\n`, 'HD c9007199254740992\r\n'),
      say(`ms ${key('a')} 1 C9007199254740993\r\ny\r\n`, 'EX\r\n'),
      say(`gets ${key('a')}\r\n`, `VALUE ${key('a')} 0 1 9007199254740992\r\nx\r\nEND\r\n`),
      say(`ms ${key('a')} 1 C9007199254740992 E18446744073709551615 c\r\nz\r\n`, 'HD c18446744073709551615\r\n'),
      say(`mg ${key('a')} c v\r\n`, 'VA 1 c18446744073709551615\r\nz\r\n'),
      say(`cas ${key('a')} 0 0 1 18446744073709551615\r\nw\r\n`, 'STORED\r\n'),
    ],
  },
];
