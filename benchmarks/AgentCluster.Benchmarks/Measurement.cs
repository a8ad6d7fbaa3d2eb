using System.Diagnostics;
using AgentCluster.Benchmarks.Audit;

namespace AgentCluster.Benchmarks;

internal static class Measurement
{
    /// <summary>Runs <paramref name="call"/> count times, at most inFlight at once: the rate and each call's latency.</summary>
    public static async Task<(double Rate, Latencies Latency)> RunAsync(int count, int inFlight, Func<int, Task> call)
    {
        var latency = new Latencies();
        using var gate = new SemaphoreSlim(inFlight);
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var one = Stopwatch.StartNew();
                await call(i);
                latency.Add(one.Elapsed);
            }
            finally
            {
                gate.Release();
            }
        }));
        return (count / total.Elapsed.TotalSeconds, latency);
    }
}
