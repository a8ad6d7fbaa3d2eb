using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using AgentCluster.Benchmarks.Cluster;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Hosting;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentCluster.Benchmarks.Egress;

/// <summary>
/// One run, one load generator (wrk), one upstream (nginx on loopback): direct as the baseline,
/// through this proxy, and through squid as a plain forward proxy. The goals are read off the
/// proxy's requests that carry no secret (checks, forward and audit row, as most requests are).
/// A request that carries a swapped secret waits for its durable audit row: it is measured on
/// its own, and against a second proxy with that wait switched off, so what the durable row
/// costs is reported on its own line.
/// </summary>
internal static class EgressBenchmark
{
    private const string Secret = "sk_bench_egress_secret_value";

    private const string PlainName = "agentcluster proxy, no secret";
    private const string SwappedName = "  stub swapped, durable row";
    private const string UndurableName = "  stub swapped, no durable row";

    /// <summary>Istio's published sidecar figure (2.65 ms added at p90) was taken at 1000 req/s over 16 connections.</summary>
    private const int AnchorRate = 1000;

    public static async Task RunAsync(string dockerEndpoint, string proxyDll, int upstreamPort, int squidPort, int connections, TimeSpan duration)
    {
        Environment.SetEnvironmentVariable(VaultOptions.EnvironmentVariable, "bench=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var id = $"bench-{Guid.NewGuid():N}";
        var options = new AgentClusterOptions { DataDir = Path.Combine(Path.GetTempPath(), id), ClusterId = "agentcluster", ServiceId = "agentcluster" };
        Directory.CreateDirectory(options.DataDir);
        options.Ports.Silo = 24_000 + Random.Shared.Next(1000);
        options.Ports.Gateway = options.Ports.Silo + 1000;
        var proxyPort = options.Ports.Gateway + 1000;
        var connectionString = options.Storage.ResolveConnectionString(options.DataDir);
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(options.Storage, connectionString, CancellationToken.None);
        using var silo = await BenchCluster.StartSilo(options, connectionString, dockerEndpoint, ("AgentCluster:Fleet:ProxyPort", proxyPort.ToString()));
        var grains = silo.Services.GetRequiredService<IGrainFactory>();

        await grains.GetGrain<ITenantGrain>("bench").Create(TenantQuotas.Default with { MaxSessions = 2 });
        await silo.Services.GetRequiredService<ISecretVault>().PutAsync(
            new SecretMetadata("bench", "echo", ["127.0.0.1"], ["read"], "Authorization", "Bearer {secret}", null, "", default)
            {
                // The benchmark's upstream is plain http on loopback: the secret opts in, as the README says a test secret may.
                AllowPlainHttp = true,
            }, Secret);
        var session = grains.GetGrain<ISessionGrain>(SessionIds.New());
        var created = await session.Create(new SessionRequest("bench", "agentcluster/sandbox:local", TimeSpan.FromMinutes(30),
            Grains.Fleet.SandboxSpec.DefaultMemoryBytes, Grains.Fleet.SandboxSpec.DefaultPidsLimit, [$"127.0.0.1:{upstreamPort}"], ImmutableDictionary<string, string>.Empty,
            null, "bench", ["echo:read"], TimeSpan.FromSeconds(300)));
        if (created.Status != SessionCreateStatus.Ready)
            throw new InvalidOperationException($"bench session did not start: {created.Error}");
        var stub = (await session.RequestGrant("echo", "read", TimeSpan.FromSeconds(300), "bench")).Token!;
        var proxySecret = await ProxySecret(dockerEndpoint, created.Session!.ContainerId!);

        using var proxy = StartProxy(proxyDll, proxyPort, options.Ports.Gateway, durable: true);
        using var undurable = StartProxy(proxyDll, proxyPort + 1, options.Ports.Gateway, durable: false);
        try
        {
            await WaitForPort(proxyPort);
            await WaitForPort(proxyPort + 1);
            var upstream = $"127.0.0.1:{upstreamPort}";
            var auth = new Dictionary<string, string> { ["Authorization"] = $"Bearer {stub}", ["Host"] = upstream };
            var proxyAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{session.GetPrimaryKeyString()}:{proxySecret}"));
            var viaProxy = new Dictionary<string, string>(auth) { ["Proxy-Authorization"] = proxyAuthorization };
            var plainViaProxy = new Dictionary<string, string> { ["Host"] = upstream, ["Proxy-Authorization"] = proxyAuthorization };
            var audit = silo.Services.GetRequiredService<IAuditStore>();
            var plainTarget = ($"http://127.0.0.1:{proxyPort}", $"http://{upstream}/", plainViaProxy);
            var ourTarget = ($"http://127.0.0.1:{proxyPort}", $"http://{upstream}/", viaProxy);
            var undurableTarget = ($"http://127.0.0.1:{proxyPort + 1}", $"http://{upstream}/", viaProxy);
            var squidTarget = ($"http://127.0.0.1:{squidPort}", $"http://{upstream}/", auth);
            var directTarget = ($"http://{upstream}", "/", auth);

            // Warm-up of both proxies (its audit rows written before the baseline runs), then the measured runs.
            await Run("warm-up", ourTarget, connections, TimeSpan.FromSeconds(3), null, audit);
            await Run("warm-up", undurableTarget, connections, TimeSpan.FromSeconds(3), null, audit);
            await Run("warm-up", squidTarget, connections, TimeSpan.FromSeconds(3), null, audit);

            // Saturation: how many requests each path carries, and its latency when nothing is idle.
            var direct = await Run("direct (baseline)", directTarget, connections, duration, null, audit);
            var plain = await Run(PlainName, plainTarget, connections, duration, null, audit);
            var ours = await Run(SwappedName, ourTarget, connections, duration, null, audit);
            var oursUndurable = await Run(UndurableName, undurableTarget, connections, duration, null, audit);
            var squid = await Run("squid, plain forward proxy", squidTarget, connections, duration, null, audit);
            // The anchor's load (1000 req/s over 16 connections): the latency a proxy adds while it has room.
            var pacedDirect = await Run("direct (baseline)", directTarget, 16, duration, AnchorRate, audit);
            var pacedPlain = await Run(PlainName, plainTarget, 16, duration, AnchorRate, audit);
            var pacedOurs = await Run(SwappedName, ourTarget, 16, duration, AnchorRate, audit);
            var pacedUndurable = await Run(UndurableName, undurableTarget, 16, duration, AnchorRate, audit);
            var pacedSquid = await Run("squid, plain forward proxy", squidTarget, 16, duration, AnchorRate, audit);

            Console.WriteLine($"saturation: {connections} connections, {duration.TotalSeconds:0} s each, wrk -t2, upstream nginx on loopback");
            foreach (var r in new[] { direct, plain, ours, oursUndurable, squid })
                Console.WriteLine(r);
            Console.WriteLine($"paced: about {AnchorRate} req/s over 16 connections (the anchor's load), {duration.TotalSeconds:0} s each");
            foreach (var r in new[] { pacedDirect, pacedPlain, pacedOurs, pacedUndurable, pacedSquid })
                Console.WriteLine(r);
            Console.WriteLine();
            Console.WriteLine($"added at p90, paced: agentcluster {pacedPlain.P90 - pacedDirect.P90:0.000} ms, squid {pacedSquid.P90 - pacedDirect.P90:0.000} ms "
                + "(anchor: Envoy sidecar 2.65 ms at 1000 req/s over 16 connections; goal < 1 ms)");
            Console.WriteLine($"added at p90, saturated: agentcluster {plain.P90 - direct.P90:0.000} ms, squid {squid.P90 - direct.P90:0.000} ms");
            Console.WriteLine($"throughput: agentcluster {plain.Rate / squid.Rate:0.00}x squid (goal >= 1.00x); stub swapped without the durable row wait "
                + $"{oursUndurable.Rate / squid.Rate:0.00}x, with it {ours.Rate / squid.Rate:0.00}x");
            Console.WriteLine($"durable row on swapped requests, paced: +{pacedOurs.P50 - pacedUndurable.P50:0.000} ms at p50, +{pacedOurs.P90 - pacedUndurable.P90:0.000} ms at p90 "
                + $"(swapped with it {pacedOurs.P90 - pacedDirect.P90:0.000} ms over direct at p90); "
                + $"saturated: +{ours.P50 - oursUndurable.P50:0.000} ms at p50, +{ours.P90 - oursUndurable.P90:0.000} ms at p90, {ours.Rate / oursUndurable.Rate:0.00}x the requests per second");
        }
        finally
        {
            proxy.Kill(entireProcessTree: true);
            undurable.Kill(entireProcessTree: true);
            await session.Kill("bench", "benchmark over");
        }
    }

    /// <summary>
    /// One measured run, then a wait until the audit rows it caused are written: the silo shares
    /// these cores, and its backlog must not slow whichever path runs next.
    /// </summary>
    private static async Task<Wrk.Result> Run(string name, (string ConnectTo, string Path, Dictionary<string, string> Headers) target,
        int connections, TimeSpan duration, int? rate, IAuditStore audit)
    {
        var result = await Wrk.RunAsync(name, target.ConnectTo, target.Path, target.Headers, connections, duration, rate);
        var head = await audit.ReadHeadAsync("bench");
        for (var i = 0; i < 120; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = await audit.ReadHeadAsync("bench");
            if (now.Seq == head.Seq)
                break;
            head = now;
        }
        return result;
    }

    private static Process StartProxy(string dll, int port, int gateway, bool durable)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            dll, $"--AgentCluster:Ports:Proxy={port}", $"--AgentCluster:Ports:Gateway={gateway}",
            "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8", "--AgentCluster:Egress:RequireContainerAddress=false",
            "--AgentCluster:Egress:RequestsPerSecond=10000000",
            "--AgentCluster:Egress:RequestBurst=10000000", "--AgentCluster:Egress:MaxConcurrentPerSession=100000",
            // One wrk on loopback stands for many sandboxes: the per-source cap is not what is measured.
            "--AgentCluster:Egress:SourceRequestsPerSecond=10000000", "--AgentCluster:Egress:SourceRequestBurst=10000000",
            $"--AgentCluster:Egress:DurableSwapAudit={durable}",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("proxy: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForPort(int port)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"the proxy never listened on {port}");
    }

    /// <summary>The proxy secret, read where the sandbox reads it: the container's environment.</summary>
    private static async Task<string> ProxySecret(string endpoint, string container)
    {
        var info = new ProcessStartInfo("docker", ["-H", endpoint, "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", container])
        {
            RedirectStandardOutput = true,
        };
        using var docker = Process.Start(info)!;
        var env = await docker.StandardOutput.ReadToEndAsync();
        await docker.WaitForExitAsync();
        var url = env.Split('\n').Single(l => l.StartsWith("HTTP_PROXY=", StringComparison.Ordinal))["HTTP_PROXY=".Length..];
        return new Uri(url).UserInfo.Split(':')[1];
    }
}
