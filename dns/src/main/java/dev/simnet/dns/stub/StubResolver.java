package dev.simnet.dns.stub;

import dev.simnet.dns.DnsProto;
import dev.simnet.dns.DnsTimer;
import dev.simnet.dns.Upstream;
import dev.simnet.dns.UpstreamTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The resolver a simulated program links against, transport-neutral: glibc's {@code getaddrinfo}
 * path ({@code hosts: files dns}) and {@code res_search}/{@code res_send} retry rules, plus the
 * retry rules of {@code dig} and {@code nslookup} for the tools.
 *
 * <p>glibc ({@code resolv/res_send.c}, {@code res_query.c}): the hosts file first; then the name
 * as-is first when it has at least {@code ndots} dots, the search domains, the name as-is last
 * otherwise (a trailing dot: as-is only); for each name {@code attempts} rounds over the servers in
 * order (from a rotating start with {@code options rotate}); the wait for server {@code i} is
 * {@code max(1, (timeout << i) / (i > 0 ? nscount : 1))} seconds; SERVFAIL, NOTIMP and REFUSED move
 * to the next server; a truncated UDP answer is asked again over TCP to the same server.
 */
public final class StubResolver {
    /** How a lookup ended. */
    public enum Status {
        /** Answered from the hosts file. */
        HOSTS,
        /** Addresses from DNS. */
        OK,
        /** The name does not exist. */
        NXDOMAIN,
        /** The name exists but has no record of the type. */
        NODATA,
        /** Servers answered SERVFAIL/REFUSED/NOTIMP. */
        SERVFAIL,
        /** No server answered in time. */
        TIMEOUT
    }

    /**
     * A lookup's result.
     *
     * @param status    how it ended
     * @param name      the name that produced the result (with the search domain applied)
     * @param addresses addresses found, in answer order
     * @param exchange  the last DNS exchange (null when answered from the hosts file)
     */
    public record Result(Status status, String name, List<String> addresses, Exchange exchange) {
    }

    private final ResolvConf conf;
    private final HostsFile hosts;
    private final UpstreamTransport transport;
    private final DnsTimer timer;
    private final RandomGenerator ids;
    private int rotateNext;

    /** A resolver reading {@code conf} and {@code hosts}, sending through {@code transport}, timing with {@code timer}. */
    public StubResolver(ResolvConf conf, HostsFile hosts, UpstreamTransport transport, DnsTimer timer, RandomGenerator ids) {
        this.conf = conf;
        this.hosts = hosts;
        this.transport = transport;
        this.timer = timer;
        this.ids = ids;
    }

    /** The configuration in use. */
    public ResolvConf conf() {
        return conf;
    }

    // ------------------------------------------------------------------ getaddrinfo

    /** Looks up A ({@code Type.A}) or AAAA addresses of {@code name} the way glibc's getaddrinfo does. */
    public void lookup(String name, int type, Consumer<Result> done) {
        List<String> fromHosts = type == Type.AAAA ? hosts.ipv6(name) : hosts.ipv4(name);
        if (!fromHosts.isEmpty()) {
            done.accept(new Result(Status.HOSTS, name, fromHosts, null));
            return;
        }
        List<String> candidates = candidates(name);
        search(candidates, 0, type, null, done);
    }

    /**
     * getaddrinfo with {@code AF_UNSPEC}: the A and AAAA lookups started together (glibc sends both
     * queries back to back unless {@code single-request} is set); {@code done} gets both results, A
     * first, once the slower one has finished.
     */
    public void lookupBoth(String name, Consumer<List<Result>> done) {
        Result[] results = new Result[2];
        int[] left = {2};
        Consumer<Integer> finish = i -> {
            boolean last;
            synchronized (results) {
                last = --left[0] == 0;
            }
            if (last) {
                done.accept(List.of(results[0], results[1]));
            }
        };
        lookup(name, Type.A, r -> {
            results[0] = r;
            finish.accept(0);
        });
        lookup(name, Type.AAAA, r -> {
            results[1] = r;
            finish.accept(1);
        });
    }

    /** The names res_search tries for {@code name}, in order. */
    public List<String> candidates(String name) {
        List<String> out = new ArrayList<>();
        if (name.endsWith(".")) {
            out.add(name);
            return out;
        }
        long dots = name.chars().filter(c -> c == '.').count();
        boolean asIsFirst = dots >= conf.ndots();
        if (asIsFirst) {
            out.add(name + ".");
        }
        for (String d : conf.search()) {
            out.add(name + "." + (d.endsWith(".") ? d : d + "."));
        }
        if (!asIsFirst) {
            out.add(name + ".");
        }
        return out;
    }

    private void search(List<String> names, int i, int type, Result best, Consumer<Result> done) {
        if (i >= names.size()) {
            done.accept(best);
            return;
        }
        String n = names.get(i);
        query(n, type, r -> {
            switch (r.status()) {
                case OK, HOSTS -> done.accept(r);
                case NODATA -> search(names, i + 1, type, r, done);
                case NXDOMAIN, SERVFAIL -> search(names, i + 1, type,
                        best != null && best.status() == Status.NODATA ? best : r, done);
                default -> done.accept(best != null && best.status() == Status.NODATA ? best : r);
            }
        });
    }

    /** res_query: one absolute name, glibc's retries over the configured servers, no hosts file, no search. */
    public void query(String absoluteName, int type, Consumer<Result> done) {
        Message q;
        try {
            q = newQuery(absoluteName, type, conf.edns0() ? 1200 : 0);
        } catch (TextParseException e) {
            done.accept(new Result(Status.NXDOMAIN, absoluteName, List.of(), null));
            return;
        }
        List<Upstream> servers = new ArrayList<>();
        for (String s : conf.nameservers()) {
            servers.add(Upstream.parse(s));
        }
        int start = 0;
        if (conf.rotate()) {
            start = rotateNext++ % servers.size();
        }
        new GlibcSend(q, servers, start, absoluteName, type, done).next();
    }

    private Message newQuery(String name, int type, int edns) throws TextParseException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
        synchronized (ids) {
            q.getHeader().setID(ids.nextInt(0x10000));
        }
        if (edns > 0) {
            q.addRecord(new OPTRecord(edns, 0, 0), Section.ADDITIONAL);
        }
        return q;
    }

    /** glibc's timeout for the server at position {@code i} of {@code n}, in seconds. */
    public static int glibcTimeoutSeconds(int timeoutSec, int i, int n) {
        int s = timeoutSec << i;
        if (i > 0) {
            s /= n;
        }
        return Math.max(1, s);
    }

    private final class GlibcSend {
        final Message query;
        final List<Upstream> servers;
        final int start;
        final String name;
        final int type;
        final Consumer<Result> done;
        final List<String> events = new ArrayList<>();
        int step = -1;
        boolean sawTimeout;
        Exchange lastFailure;

        GlibcSend(Message query, List<Upstream> servers, int start, String name, int type, Consumer<Result> done) {
            this.query = query;
            this.servers = servers;
            this.start = start;
            this.name = name;
            this.type = type;
            this.done = done;
        }

        void next() {
            step++;
            int n = servers.size();
            if (step >= conf.attempts() * n) {
                Status st = sawTimeout && lastFailure == null ? Status.TIMEOUT : Status.SERVFAIL;
                Exchange ex = lastFailure != null ? lastFailure
                        : new Exchange(query, null, null, servers.get((start + step - 1) % n), DnsProto.UDP, timer.now(),
                        timer.now(), List.copyOf(events), false);
                done.accept(new Result(st, name, List.of(), ex));
                return;
            }
            int i = step % n;
            Upstream server = servers.get((start + i) % n);
            long timeout = glibcTimeoutSeconds(conf.timeoutSec(), i, n) * 1_000_000_000L;
            DnsProto proto = conf.useVc() ? DnsProto.TCP : DnsProto.UDP;
            send(query, server, proto, timeout, events, false, ex -> {
                if (!ex.answered()) {
                    sawTimeout = true;
                    next();
                    return;
                }
                int rcode = ex.response().getRcode();
                if (rcode == Rcode.SERVFAIL || rcode == Rcode.NOTIMP || rcode == Rcode.REFUSED) {
                    lastFailure = ex;
                    next();
                    return;
                }
                done.accept(toResult(name, type, ex));
            });
        }
    }

    private static Result toResult(String name, int type, Exchange ex) {
        Message m = ex.response();
        if (m.getRcode() == Rcode.NXDOMAIN) {
            return new Result(Status.NXDOMAIN, name, List.of(), ex);
        }
        List<String> addrs = new ArrayList<>();
        for (Record r : m.getSection(Section.ANSWER)) {
            if (type == Type.A && r instanceof ARecord a) {
                addrs.add(a.getAddress().getHostAddress());
            } else if (type == Type.AAAA && r instanceof AAAARecord a) {
                addrs.add(a.getAddress().getHostAddress());
            }
        }
        boolean any = !m.getSection(Section.ANSWER).isEmpty();
        return new Result(addrs.isEmpty() && !any ? Status.NODATA : Status.OK, name, addrs, ex);
    }

    /**
     * One try to one server with a timeout; a truncated UDP answer (unless {@code ignoreTc}) is
     * asked again over TCP to the same server with the same timeout. Always calls {@code done} once.
     */
    public void send(Message query, Upstream server, DnsProto proto, long timeoutNanos, List<String> events,
                     boolean ignoreTc, Consumer<Exchange> done) {
        byte[] wire = query.toWire();
        long sentAt = timer.now();
        Object lock = new Object();
        boolean[] finished = new boolean[1];
        DnsTimer.Cancellable[] t = new DnsTimer.Cancellable[1];
        synchronized (lock) {
            t[0] = timer.schedule(timeoutNanos, () -> {
                synchronized (lock) {
                    if (finished[0]) {
                        return;
                    }
                    finished[0] = true;
                }
                events.add(server.host() + "#" + server.port() + " timed out");
                done.accept(new Exchange(query, null, null, server, proto, sentAt, timer.now(), List.copyOf(events), false));
            });
        }
        transport.exchange(server, proto, wire, reply -> {
            Message m = null;
            if (reply != null) {
                try {
                    m = new Message(reply);
                } catch (IOException e) {
                    m = null;
                }
            }
            if (m != null && m.getHeader().getID() != query.getHeader().getID()) {
                return; // not ours: keep waiting (glibc ignores mismatched ids)
            }
            synchronized (lock) {
                if (finished[0]) {
                    return;
                }
                finished[0] = true;
                t[0].cancel();
            }
            if (m == null) {
                events.add(server.host() + "#" + server.port() + (reply == null ? " connection refused" : " malformed reply"));
                done.accept(new Exchange(query, null, null, server, proto, sentAt, timer.now(), List.copyOf(events), false));
                return;
            }
            if (proto == DnsProto.UDP && m.getHeader().getFlag(Flags.TC) && !ignoreTc) {
                events.add(server.host() + "#" + server.port() + " truncated");
                send(query, server, DnsProto.TCP, timeoutNanos, events, true, ex -> done.accept(
                        new Exchange(ex.query(), ex.response(), ex.wire(), ex.server(), ex.proto(), ex.sentAt(),
                                ex.receivedAt(), ex.events(), true)));
                return;
            }
            done.accept(new Exchange(query, m, reply, server, proto, sentAt, timer.now(), List.copyOf(events), false));
        });
    }

    // ------------------------------------------------------------------ dig / nslookup

    /**
     * What {@code dig} does for one query: the name as given (no search list), {@code tries} UDP
     * tries per server of {@code timeoutSec} each (dig's defaults: 3 and 5), servers in order,
     * retrying over TCP after a truncated answer unless {@code ignoreTc}, TCP only with {@code tcp}.
     */
    public void dig(String name, int type, List<Upstream> servers, int tries, int timeoutSec, boolean tcp, boolean ignoreTc,
                    int ednsSize, Consumer<Exchange> done) {
        Message q;
        try {
            q = newQuery(name, type, ednsSize);
        } catch (TextParseException e) {
            done.accept(new Exchange(null, null, null, servers.get(0), DnsProto.UDP, timer.now(), timer.now(),
                    List.of("bad name '" + name + "'"), false));
            return;
        }
        List<Upstream> list = servers.isEmpty() ? conf.nameservers().stream().map(Upstream::parse).toList() : servers;
        List<String> events = new ArrayList<>();
        digTry(q, list, 0, 0, tries, timeoutSec * 1_000_000_000L, tcp, ignoreTc, events, done);
    }

    private void digTry(Message q, List<Upstream> servers, int server, int attempt, int tries, long timeout, boolean tcp,
                        boolean ignoreTc, List<String> events, Consumer<Exchange> done) {
        Upstream s = servers.get(server);
        send(q, s, tcp ? DnsProto.TCP : DnsProto.UDP, timeout, events, ignoreTc, ex -> {
            if (ex.answered()) {
                done.accept(ex);
            } else if (attempt + 1 < tries) {
                digTry(q, servers, server, attempt + 1, tries, timeout, tcp, ignoreTc, events, done);
            } else if (server + 1 < servers.size()) {
                digTry(q, servers, server + 1, 0, tries, timeout, tcp, ignoreTc, events, done);
            } else {
                done.accept(ex);
            }
        });
    }
}
