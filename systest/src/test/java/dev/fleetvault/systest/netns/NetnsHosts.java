package dev.fleetvault.systest.netns;

import dev.fleetvault.driver.tck.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * N separate "hosts" on one Linux machine: one network namespace per host, each with its own IPv4
 * address on a private /24 ({@code 10.231.S.0/24}, S chosen so that the root namespace has no route
 * into it), joined by a bridge in a hub namespace; the test JVM (root namespace) reaches them
 * through one more veth into the hub ({@link #rootAddress()}). Loopback is up in every host.
 *
 * <p>Processes run inside a host with {@code ip netns exec}; their stdout and stderr go to files
 * under the work directory. Faults: link down/up (the hub side of the host's cable, so the host's
 * packets vanish), partition (blackhole routes between one host and every other host, while the
 * test JVM still reaches it), one-way partition (one host's packets to another vanish silently,
 * {@link #dropOneWay}), one-way random loss ({@link #lossOutbound}: a BPF classifier, or {@code tc
 * netem}, whichever the kernel has), SIGSTOP/SIGCONT and SIGKILL of a host's processes.
 *
 * <p><b>Guarantees.</b> Names are unique per instance ({@code fvst-<6 hex>-*}); at most {@link
 * #MAX_HOSTS} hosts; {@link #close()} (also run by a JVM shutdown hook if the test never reaches
 * it) kills every process started here and deletes every namespace and link created here, each step
 * bounded by {@link Sh#DEADLINE}. Nothing outside those names is touched. Needs root and a working
 * {@code ip netns}: otherwise {@link #create} skips the test loudly, or fails it when {@code
 * CI=true} or {@value #REQUIRE_NETNS}=1.
 */
public final class NetnsHosts implements AutoCloseable {
  /** Env var that makes missing root / netns a failure (as CI=true does). */
  public static final String REQUIRE_NETNS = "FLEETVAULT_REQUIRE_NETNS";

  /** Upper bound on hosts per instance. */
  public static final int MAX_HOSTS = 9;

  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  /** A locally administered link-layer address no host has ({@link #dropOneWay}). */
  private static final String NOWHERE_MAC = "02:00:5e:00:de:ad";

  private static final Set<NetnsHosts> OPEN = new LinkedHashSet<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  List<NetnsHosts> open;
                  synchronized (OPEN) {
                    open = new ArrayList<>(OPEN);
                  }
                  for (NetnsHosts h : open) {
                    h.close();
                  }
                },
                "netns-hosts-cleanup"));
  }

  private final String id;
  private final String subnet;
  private final int count;
  private final Path workDir;
  private final String hub;
  private final String rootLink;
  private final List<String> namespaces = new ArrayList<>();
  private final List<List<Process>> processes = new ArrayList<>();
  private final List<Set<Integer>> partitioned = new ArrayList<>();
  private int started;
  private boolean closed;

  private NetnsHosts(int count, Path workDir) {
    byte[] suffix = new byte[3];
    new SecureRandom().nextBytes(suffix);
    this.id = "fvst-" + HexFormat.of().formatHex(suffix);
    this.count = count;
    this.workDir = workDir;
    this.hub = id + "-hub";
    this.rootLink = id.replace("-", "") + "r";
    this.subnet = freeSubnet();
    processes.add(new ArrayList<>()); // index 0: processes in the root namespace (startInRoot)
    for (int i = 0; i < count; i++) {
      processes.add(new ArrayList<>());
      partitioned.add(new LinkedHashSet<>());
    }
  }

  /**
   * Creates {@code count} hosts, or skips (fails under CI) when this machine cannot: not root, or
   * {@code ip netns} does not work.
   *
   * @param workDir where process logs go (created)
   */
  public static NetnsHosts create(int count, Path workDir) throws IOException {
    if (count < 1 || count > MAX_HOSTS) {
      throw new IllegalArgumentException("between 1 and " + MAX_HOSTS + " hosts, not " + count);
    }
    Sh.Result uid = Sh.run("id", "-u");
    boolean root = uid.ok() && uid.output().strip().equals("0");
    TestEnvironment.requireOrSkip(
        root,
        "root (network namespaces need it; id -u says " + uid.output().strip() + ")",
        REQUIRE_NETNS);
    Sh.Result ip = Sh.run("ip", "netns", "list");
    TestEnvironment.requireOrSkip(
        ip.ok(), "a working 'ip netns' (iproute2): " + ip.output().strip(), REQUIRE_NETNS);
    Files.createDirectories(workDir);
    NetnsHosts hosts = new NetnsHosts(count, workDir);
    synchronized (OPEN) {
      OPEN.add(hosts);
    }
    try {
      hosts.build();
    } catch (IllegalStateException e) {
      hosts.close();
      TestEnvironment.requireOrSkip(
          false, "network namespaces on this machine (" + e.getMessage() + ")", REQUIRE_NETNS);
    }
    return hosts;
  }

  private void build() {
    ns("add", hub);
    namespaces.add(hub);
    inHub("link", "add", "br0", "type", "bridge");
    inHub("link", "set", "br0", "up");
    inHub("link", "set", "lo", "up");
    for (int i = 1; i <= count; i++) {
      String name = namespace(i);
      ns("add", name);
      namespaces.add(name);
      Sh.run("ip", "-n", name, "link", "set", "lo", "up").orThrow();
      // The host's cable: eth0 in the host, h<i> on the hub's bridge.
      inHub("link", "add", "h" + i, "type", "veth", "peer", "name", "eth0", "netns", name);
      inHub("link", "set", "h" + i, "master", "br0");
      inHub("link", "set", "h" + i, "up");
      Sh.run("ip", "-n", name, "addr", "add", address(i) + "/24", "dev", "eth0").orThrow();
      Sh.run("ip", "-n", name, "link", "set", "eth0", "up").orThrow();
    }
    // The test JVM's link into the hub.
    Sh.run("ip", "link", "add", rootLink, "type", "veth", "peer", "name", "up0", "netns", hub)
        .orThrow();
    inHub("link", "set", "up0", "master", "br0");
    inHub("link", "set", "up0", "up");
    Sh.run("ip", "addr", "add", rootAddress() + "/24", "dev", rootLink).orThrow();
    Sh.run("ip", "link", "set", rootLink, "up").orThrow();
  }

  private static void ns(String verb, String name) {
    Sh.run("ip", "netns", verb, name).orThrow();
  }

  private void inHub(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", hub));
    cmd.addAll(List.of(args));
    Sh.run(cmd.toArray(String[]::new)).orThrow();
  }

  /** A /24 in 10.231.0.0/16 the root namespace has no address or route in. */
  private static String freeSubnet() {
    String routes =
        Sh.run("ip", "-4", "route", "show", "table", "all").output()
            + Sh.run("ip", "-4", "addr").output();
    SecureRandom r = new SecureRandom();
    for (int tries = 0; tries < 64; tries++) {
      String s = "10.231." + (1 + r.nextInt(250));
      if (!routes.contains(s + ".")) {
        return s;
      }
    }
    throw new IllegalStateException("no free /24 in 10.231.0.0/16");
  }

  /** Number of hosts. */
  public int size() {
    return count;
  }

  /** The namespace of host {@code i} (1-based). */
  public String namespace(int i) {
    check(i);
    return id + "-h" + i;
  }

  /** Host {@code i}'s IPv4 address. */
  public String address(int i) {
    check(i);
    return subnet + "." + (10 + i);
  }

  /** The test JVM's address on the hosts' network. */
  public String rootAddress() {
    return subnet + ".254";
  }

  /** Where process logs go. */
  public Path workDir() {
    return workDir;
  }

  /**
   * Starts {@code command} inside host {@code i}; stdout to {@code <workDir>/logs/<label>-<k>.out},
   * stderr to {@code .err}. The process is killed by {@link #close()}.
   */
  public HostProcess start(
      int i, String label, List<String> command, Map<String, String> env, Path dir)
      throws IOException {
    check(i);
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(i)));
    cmd.addAll(command);
    return launch(i, label, cmd, env, dir);
  }

  /**
   * Starts {@code command} in the root namespace (the operator's or ceremony's machine: it reaches
   * the hosts through {@link #rootAddress()}); logs and clean-up as {@link #start}. Host number 0.
   */
  public HostProcess startInRoot(
      String label, List<String> command, Map<String, String> env, Path dir) throws IOException {
    return launch(0, label, command, env, dir);
  }

  private HostProcess launch(
      int i, String label, List<String> cmd, Map<String, String> env, Path dir) throws IOException {
    Path logs = workDir.resolve("logs");
    Files.createDirectories(logs);
    int k;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("hosts closed");
      }
      k = ++started;
    }
    Path out = logs.resolve(label + "-" + k + ".out");
    Path err = logs.resolve(label + "-" + k + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    synchronized (this) {
      processes.get(i).add(p);
    }
    return new HostProcess(i, label, p, out, err);
  }

  /**
   * Pulls host {@code i}'s cable (the hub side of its veth goes down): its packets vanish both
   * ways.
   */
  public void linkDown(int i) {
    inHub("link", "set", "h" + i, "down");
  }

  /** Plugs host {@code i}'s cable back in. */
  public void linkUp(int i) {
    inHub("link", "set", "h" + i, "up");
  }

  /**
   * Cuts host {@code i} off from every other host (blackhole routes on both sides), while the test
   * JVM still reaches it: its edge answers clients but cannot reach the fleet.
   */
  public void partition(int i) {
    for (int j = 1; j <= count; j++) {
      if (j != i) {
        Sh.run("ip", "-n", namespace(i), "route", "add", "blackhole", address(j) + "/32").orThrow();
        Sh.run("ip", "-n", namespace(j), "route", "add", "blackhole", address(i) + "/32").orThrow();
        partitioned.get(i - 1).add(j);
      }
    }
  }

  /** Removes the routes {@link #partition(int)} added. */
  public void heal(int i) {
    for (int j : new ArrayList<>(partitioned.get(i - 1))) {
      Sh.run("ip", "-n", namespace(i), "route", "del", "blackhole", address(j) + "/32").orThrow();
      Sh.run("ip", "-n", namespace(j), "route", "del", "blackhole", address(i) + "/32").orThrow();
      partitioned.get(i - 1).remove(j);
    }
  }

  /**
   * Silently drops every packet host {@code from} sends to host {@code to}, one way: what {@code
   * to} sends to {@code from} is still delivered, and {@code from}'s packets to everyone else (the
   * test JVM included) are untouched. Done with a permanent neighbour (ARP) entry in {@code from}
   * that maps {@code to}'s address to a link-layer address no host has: the frames leave {@code
   * from}, the bridge floods them and every host discards them, so the sender sees no error at all
   * (unlike a {@code blackhole} or {@code prohibit} route, which fail the sender's system calls at
   * once). On TCP this gives half-open connections: {@code from} still receives {@code to}'s
   * segments and connection attempts, its answers and acknowledgements vanish.
   */
  public void dropOneWay(int from, int to) {
    check(from);
    check(to);
    Sh.run(
            "ip",
            "-n",
            namespace(from),
            "neigh",
            "replace",
            address(to),
            "lladdr",
            NOWHERE_MAC,
            "dev",
            "eth0",
            "nud",
            "permanent")
        .orThrow();
  }

  /** Undoes {@link #dropOneWay}: {@code from} learns {@code to}'s real link-layer address again. */
  public void restoreOneWay(int from, int to) {
    Sh.run("ip", "-n", namespace(from), "neigh", "del", address(to), "dev", "eth0").orThrow();
  }

  /** How this kernel lets {@link #lossOutbound} drop a share of packets at random. */
  public enum LossMethod {
    /**
     * A classic BPF classifier in direct-action mode on the {@code clsact} qdisc's egress hook
     * ({@code cls_bpf}); its random number is the kernel's {@code SKF_AD_RANDOM}. Needs neither
     * {@code sch_netem}, nor tc actions, nor netfilter. Only IPv4 packets to other hosts are
     * dropped: the test JVM's traffic is not.
     */
    BPF,
    /** {@code tc qdisc netem loss}: every packet the host sends. */
    NETEM,
    /** Neither works here. */
    NONE
  }

  /**
   * How random loss can be made on this kernel (probed on loopback of host 1, the probe removed
   * again). BPF first (it spares the client's traffic), netem otherwise.
   */
  public LossMethod lossMethod() {
    String ns = namespace(1);
    if (Sh.run("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "lo", "clsact").ok()) {
      boolean bpf =
          Sh.run(
                  "ip",
                  "netns",
                  "exec",
                  ns,
                  "tc",
                  "filter",
                  "add",
                  "dev",
                  "lo",
                  "egress",
                  "bpf",
                  "da",
                  "bytecode",
                  lossProgram(0))
              .ok();
      Sh.run("ip", "netns", "exec", ns, "tc", "qdisc", "del", "dev", "lo", "clsact");
      if (bpf) {
        return LossMethod.BPF;
      }
    }
    Sh.Result r =
        Sh.run(
            "ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "loss",
            "0%");
    if (r.ok()) {
      Sh.run("ip", "netns", "exec", ns, "tc", "qdisc", "del", "dev", "lo", "root");
      return LossMethod.NETEM;
    }
    return LossMethod.NONE;
  }

  /**
   * Drops {@code percent}% of the packets host {@code i} sends, at random (one way: what it
   * receives is untouched), with {@code method} ({@link #lossMethod()}).
   */
  public void lossOutbound(int i, int percent, LossMethod method) {
    String ns = namespace(i);
    switch (method) {
      case BPF -> {
        Sh.run("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "eth0", "clsact").orThrow();
        Sh.run(
                "ip",
                "netns",
                "exec",
                ns,
                "tc",
                "filter",
                "add",
                "dev",
                "eth0",
                "egress",
                "bpf",
                "da",
                "bytecode",
                lossProgram(percent))
            .orThrow();
      }
      case NETEM ->
          Sh.run(
                  "ip",
                  "netns",
                  "exec",
                  ns,
                  "tc",
                  "qdisc",
                  "replace",
                  "dev",
                  "eth0",
                  "root",
                  "netem",
                  "loss",
                  percent + "%")
              .orThrow();
      case NONE -> throw new IllegalStateException("no way to drop packets at random here");
    }
  }

  /** Removes {@link #lossOutbound}. */
  public void clearLoss(int i, LossMethod method) {
    String qdisc = method == LossMethod.BPF ? "clsact" : "root";
    Sh.run("ip", "netns", "exec", namespace(i), "tc", "qdisc", "del", "dev", "eth0", qdisc)
        .orThrow();
  }

  /**
   * A classic BPF program (tc's {@code bytecode} notation) for a direct-action classifier on an
   * Ethernet device's egress: an IPv4 packet not addressed to the test JVM is dropped ({@code
   * TC_ACT_SHOT}) with probability {@code percent}/100, everything else passes ({@code TC_ACT_OK}).
   *
   * <pre>
   * 0 ldh [12]                ethertype
   * 1 jeq #0x0800, 0, 4       not IPv4: pass
   * 2 ld [30]                 IPv4 destination
   * 3 jeq #root, 2, 0         the test JVM: pass
   * 4 ld rand                 SKF_AD_OFF + SKF_AD_RANDOM
   * 5 jge #threshold, 1, 0    rand &gt;= (1 - p) * 2^32: drop
   * 6 ret #0                  TC_ACT_OK
   * 7 ret #2                  TC_ACT_SHOT
   * </pre>
   */
  String lossProgram(int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("loss of " + percent + "%");
    }
    long root = 0;
    for (String octet : rootAddress().split("\\.")) {
      root = (root << 8) | Integer.parseInt(octet);
    }
    long threshold = Math.min(0xFFFF_FFFFL, Math.round((100 - percent) / 100.0 * 0x1_0000_0000L));
    long rand = 0xFFFF_F000L + 56; // SKF_AD_OFF (-0x1000) + SKF_AD_RANDOM, as an unsigned 32-bit k
    return "8,40 0 0 12,21 0 4 2048,32 0 0 30,21 2 0 "
        + root
        + ",32 0 0 "
        + rand
        + ",53 1 0 "
        + threshold
        + ",6 0 0 0,6 0 0 2";
  }

  /** SIGSTOP to every live process of host {@code i} (and their descendants). */
  public void freeze(int i) {
    signal(i, "STOP");
  }

  /** SIGCONT to every live process of host {@code i}. */
  public void thaw(int i) {
    signal(i, "CONT");
  }

  /** SIGKILL to every live process of host {@code i}; waits until they are gone. */
  public void kill9(int i) throws InterruptedException {
    List<Process> ps;
    synchronized (this) {
      ps = new ArrayList<>(processes.get(i));
    }
    for (Process p : ps) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : ps) {
      p.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void signal(int i, String sig) {
    List<Process> ps;
    synchronized (this) {
      ps = new ArrayList<>(processes.get(i));
    }
    for (Process p : ps) {
      if (p.isAlive()) {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig, Long.toString(p.pid())));
        p.descendants().forEach(d -> cmd.add(Long.toString(d.pid())));
        Sh.run(cmd.toArray(String[]::new));
      }
    }
  }

  private void check(int i) {
    if (i < 1 || i > count) {
      throw new IllegalArgumentException("host " + i + " of " + count);
    }
  }

  /**
   * Kills every process started here, then deletes every namespace and link created here.
   * Idempotent.
   */
  @Override
  public void close() {
    List<Process> all = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      processes.forEach(all::addAll);
    }
    for (Process p : all) {
      if (p.isAlive()) {
        Sh.run("kill", "-CONT", Long.toString(p.pid()));
      }
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          System.err.println("[netns] process " + p.pid() + " still alive after SIGKILL");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Sh.run("ip", "link", "del", rootLink);
    for (int k = namespaces.size() - 1; k >= 0; k--) {
      Sh.Result r = Sh.run("ip", "netns", "del", namespaces.get(k));
      if (!r.ok()) {
        System.err.println(
            "[netns] could not delete namespace " + namespaces.get(k) + ": " + r.output().strip());
      }
    }
    synchronized (OPEN) {
      OPEN.remove(this);
    }
  }

  @Override
  public String toString() {
    return id + " (" + count + " hosts on " + subnet + ".0/24)";
  }
}
