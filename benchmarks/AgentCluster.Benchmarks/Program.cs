using AgentCluster.Benchmarks;
using AgentCluster.Benchmarks.Approvals;
using AgentCluster.Benchmarks.Audit;
using AgentCluster.Benchmarks.Cluster;
using AgentCluster.Benchmarks.Computer;
using AgentCluster.Benchmarks.Egress;
using AgentCluster.Benchmarks.Grants;
using AgentCluster.Benchmarks.Sessions;

// Benchmarks are run by hand or by benchmarks/run-*.sh, never as tests: they report ratios
// against a baseline measured in the same run, on this machine.
var options = BenchmarkArgs.Parse(args.Skip(1));
var tls = new BenchTls(options.GetValueOrDefault("certs"));
switch (args.FirstOrDefault())
{
    case "audit" when options.TryGetValue("pg", out var pg):
        await AuditBenchmark.RunAsync(pg, tls, options.Int("events", 50_000));
        return 0;
    case "grants" when options.TryGetValue("pg", out var pg) && options.TryGetValue("docker", out var docker):
        await GrantBenchmark.RunAsync(pg, docker, tls, options.Int("grants", 2000), options.Int("resolves", 200_000));
        return 0;
    case "approvals" when options.TryGetValue("pg", out var pg) && options.TryGetValue("docker", out var docker):
        await ApprovalBenchmark.RunAsync(pg, docker, tls, options.Int("approvals", 5000), options.Int("decisions", 1000));
        return 0;
    case "sessions" when options.TryGetValue("docker", out var docker) && options.TryGetValue("image", out var image):
        await SessionsBenchmark.RunAsync(docker, image, options.Int("samples", 40), options.Int("concurrent", 200),
            TimeSpan.FromSeconds(options.Int("concurrent-ttl", 120)));
        return 0;
    case "egress" when options.TryGetValue("docker", out var docker) && options.TryGetValue("proxy", out var proxy):
        await EgressBenchmark.RunAsync(docker, proxy, options.Int("upstream-port", 0), options.Int("squid-port", 0),
            options.Int("connections", 16), TimeSpan.FromSeconds(options.Int("seconds", 10)));
        return 0;
    case "computer" when options.TryGetValue("docker", out var docker) && options.TryGetValue("image", out var image):
        await ComputerBenchmark.RunAsync(docker, image, options.Int("samples", 200), options.Int("cold", 10));
        return 0;
    case "computer-api" when options.TryGetValue("api", out var api) && options.TryGetValue("key-file", out var keyFile)
        && options.TryGetValue("docker", out var docker) && options.TryGetValue("image", out var image):
        return await ComputerApiBenchmark.RunAsync(api, (await File.ReadAllTextAsync(keyFile)).Trim(), docker, image, options.Int("samples", 200),
            options.Int("starts", 10), options.Int("density", 50), TimeSpan.FromSeconds(options.Int("density-ttl", 240)),
            options.ContainsKey("through-proxy"), options.Int("pool", 2)) ? 0 : 1;
    default:
        Console.Error.WriteLine("""
            usage: AgentCluster.Benchmarks audit --pg <npgsql connection string> --certs DIR [--events N]
                   AgentCluster.Benchmarks grants --pg <connection string> --docker unix:///…sock --certs DIR [--grants N] [--resolves N]
                   AgentCluster.Benchmarks approvals --pg <connection string> --docker unix:///…sock --certs DIR [--approvals N] [--decisions N]
                   AgentCluster.Benchmarks egress --docker unix:///…sock --proxy AgentCluster.Proxy.dll --upstream-port P --squid-port P [--connections N] [--seconds S]
                   AgentCluster.Benchmarks computer --docker unix:///…sock --image agentcluster/desktop:local [--samples N] [--cold N]
                   AgentCluster.Benchmarks computer-api --api http://127.0.0.1:P --key-file admin.key --docker unix:///…sock --image I [--samples N]
                       [--starts N] [--density N] [--density-ttl SECONDS] [--through-proxy 1] [--pool N]
                   AgentCluster.Benchmarks sessions --docker unix:///…sock --image I [--samples N] [--concurrent N] [--concurrent-ttl SECONDS]
              --certs DIR: the cluster's TLS certificates, as deploy/cluster/make-certs.sh DIR makes them
            """);
        return 2;
}
