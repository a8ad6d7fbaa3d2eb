using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentCluster.Benchmarks.Cluster;
using AgentCluster.Grains.Credentials;
using Microsoft.Extensions.DependencyInjection;

namespace AgentCluster.Benchmarks.Egress;

/// <summary>
/// One load generator, one upstream on loopback, three paths: direct (the baseline), through this
/// proxy with the stub-token swap, and through squid as a plain forward proxy. Reports p50/p90/p99
/// and requests per second, and the latency each proxy adds at p90 over direct.
/// </summary>
internal static class EgressBenchmark
{
    private const string RealSecret = "sk_bench_real_secret_value";

    public static async Task RunAsync(string connectionString, string dockerEndpoint, string proxyDll, string squid, int requests, int concurrency)
    {
        await using var upstream = await Upstream.StartAsync($"Bearer {RealSecret}");
        var target = new Uri($"http://127.0.0.1:{upstream.Port}/bench");
        await using var cluster = await BenchCluster.StartAsync(connectionString, dockerEndpoint, 1, ["echo:read"], [$"127.0.0.1:{upstream.Port}"]);
        await cluster.Silo.Services.GetRequiredService<ISecretVault>().PutAsync(
            new SecretMetadata(BenchCluster.Tenant, "echo", ["127.0.0.1"], ["read"], "Authorization", "Bearer {secret}", null, "", default),
            RealSecret);
        var session = cluster.Sessions[0];
        var sessionId = session.GetPrimaryKeyString();
        var proxySecret = await ProxySecret(dockerEndpoint, (await session.Get())!.ContainerId!);
        await using var proxy = await ProxyRun.StartAsync(proxyDll, connectionString, cluster.ClusterId, FreePort());
        await using var plainProxy = await Squid.StartAsync(squid, FreePort());

        var proxyAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sessionId}:{proxySecret}"));
        var modes = new (string Name, Func<string, HttpClient> Client, string Expected)[]
        {
            ("direct (baseline)", _ => LoadRun.Client(concurrency, null, null, $"Bearer {RealSecret}"), "ok"),
            ("this proxy, stub swapped", stub => LoadRun.Client(concurrency, new Uri($"http://127.0.0.1:{proxy.Port}"), proxyAuthorization, $"Bearer {stub}"), "ok"),
            ("squid, plain forward", _ => LoadRun.Client(concurrency, new Uri($"http://127.0.0.1:{plainProxy.Port}"), null, $"Bearer {RealSecret}"), "ok"),
        };
        var results = new List<(string Name, LoadRun.Result Result)>();
        foreach (var (name, makeClient, expected) in modes)
        {
            // A fresh grant per mode: its TTL (at most 300 s) must outlast the run.
            var grant = await session.RequestGrant("echo", "read", TimeSpan.FromSeconds(300), "bench");
            using var client = makeClient(grant.Token!);
            await LoadRun.RunAsync(client, target, Math.Min(2000, requests), concurrency, expected); // warm-up
            var result = await LoadRun.RunAsync(client, target, requests, concurrency, expected);
            Console.WriteLine($"{name}: {result}");
            results.Add((name, result));
        }

        var direct = results[0].Result;
        var ours = results[1].Result;
        var squidResult = results[2].Result;
        Console.WriteLine();
        Console.WriteLine($"{requests} GETs per mode, {concurrency} in flight, one upstream on loopback, 2 cores shared by all");
        Console.WriteLine($"added at p90 over direct: this proxy {ours.Latency.Percentile(90) - direct.Latency.Percentile(90):0.000} ms, " +
            $"squid {squidResult.Latency.Percentile(90) - direct.Latency.Percentile(90):0.000} ms (Envoy sidecar anchor: 2.65 ms)");
        Console.WriteLine($"throughput: this proxy {ours.Rate / direct.Rate:0.00}x direct, {ours.Rate / squidResult.Rate:0.00}x squid");
        if (results.Any(r => r.Result.Unexpected > 0))
            throw new InvalidOperationException("some answers were not the expected ones: the swap or a proxy misbehaved");
    }

    /// <summary>The session's proxy secret, read where the sandbox reads it: its container's environment.</summary>
    private static async Task<string> ProxySecret(string dockerEndpoint, string containerId)
    {
        var info = new ProcessStartInfo("docker") { RedirectStandardOutput = true, ArgumentList = { "-H", dockerEndpoint, "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", containerId } };
        using var docker = Process.Start(info)!;
        var env = await docker.StandardOutput.ReadToEndAsync();
        await docker.WaitForExitAsync();
        var url = env.Split('\n').Single(l => l.StartsWith("HTTP_PROXY=", StringComparison.Ordinal))["HTTP_PROXY=".Length..];
        return Uri.UnescapeDataString(new Uri(url).UserInfo.Split(':')[1]);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
