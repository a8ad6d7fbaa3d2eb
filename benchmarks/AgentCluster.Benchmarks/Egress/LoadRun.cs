using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using AgentCluster.Benchmarks.Audit;

namespace AgentCluster.Benchmarks.Egress;

/// <summary>The same load generator for every mode: GETs with a fixed concurrency over kept-alive connections.</summary>
internal static class LoadRun
{
    public sealed record Result(double Rate, Latencies Latency, int Unexpected)
    {
        public override string ToString() =>
            $"{Rate:0} req/s, p50 {Latency.Percentile(50):0.000} ms, p90 {Latency.Percentile(90):0.000} ms, p99 {Latency.Percentile(99):0.000} ms"
            + (Unexpected > 0 ? $", {Unexpected} UNEXPECTED answers" : "");
    }

    public static HttpClient Client(int concurrency, Uri? proxy, string? proxyAuthorization, string? authorization)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            UseProxy = proxy is not null,
            Proxy = proxy is null ? null : new WebProxy(proxy),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        if (proxyAuthorization is not null)
            client.DefaultRequestHeaders.ProxyAuthorization = AuthenticationHeaderValue.Parse(proxyAuthorization);
        if (authorization is not null)
            client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(authorization);
        return client;
    }

    /// <summary>Runs <paramref name="count"/> GETs, <paramref name="concurrency"/> at a time; an answer other than <paramref name="expected"/> is counted.</summary>
    public static async Task<Result> RunAsync(HttpClient client, Uri url, int count, int concurrency, string expected)
    {
        var latency = new Latencies();
        var next = -1;
        var unexpected = 0;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var one = Stopwatch.StartNew();
                using var response = await client.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                latency.Add(one.Elapsed);
                if (!response.IsSuccessStatusCode || body != expected)
                    Interlocked.Increment(ref unexpected);
            }
        }));
        return new Result(count / total.Elapsed.TotalSeconds, latency, unexpected);
    }
}
