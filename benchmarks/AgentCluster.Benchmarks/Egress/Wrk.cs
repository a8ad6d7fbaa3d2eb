using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentCluster.Benchmarks.Egress;

/// <summary>One load generator for every path: wrk, with a Lua script that sets the request line and headers.</summary>
internal static partial class Wrk
{
    public sealed record Result(string Name, double P50, double P90, double P99, double Rate)
    {
        public override string ToString() =>
            $"{Name,-34} p50 {P50,7:0.000} ms  p90 {P90,7:0.000} ms  p99 {P99,7:0.000} ms  {Rate,9:0} req/s";
    }

    /// <summary>
    /// Runs wrk against <paramref name="connectTo"/> sending <paramref name="path"/> (absolute-form through a proxy),
    /// as fast as it can, or near <paramref name="rate"/> requests per second in all.
    /// </summary>
    /// <remarks>
    /// A rate is offered as a pause before each request on each connection, drawn around the connection's share of
    /// the rate so connections do not move in lock-step; wrk times a request from its first byte written, so the
    /// pause is not part of its latency.
    /// </remarks>
    public static async Task<Result> RunAsync(string name, string connectTo, string path, IReadOnlyDictionary<string, string> headers,
        int connections, TimeSpan duration, int? rate = null)
    {
        var script = Path.GetTempFileName();
        string[] pacing = rate is { } r
            ? [$"function delay() return math.random({Gap(connections, r) / 2}, {Gap(connections, r) * 3 / 2}) end"]
            : [];
        await File.WriteAllLinesAsync(script,
            [$"wrk.path = \"{path}\"", .. headers.Select(h => $"wrk.headers[\"{h.Key}\"] = \"{h.Value}\""), .. pacing]);
        try
        {
            var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", script, connectTo })
                info.ArgumentList.Add(arg);
            using var wrk = Process.Start(info)!;
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            if (wrk.ExitCode != 0 || output.Contains("Non-2xx", StringComparison.Ordinal) || output.Contains("Socket errors", StringComparison.Ordinal))
                throw new InvalidOperationException($"wrk for {name} reported failures:\n{output}{await wrk.StandardError.ReadToEndAsync()}");
            return new Result(name, Percent(output, "50%"), Percent(output, "90%"), Percent(output, "99%"),
                double.Parse(Rate().Match(output).Groups[1].Value, CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>Milliseconds between one connection's requests for its share of the rate.</summary>
    private static int Gap(int connections, int rate) => Math.Max(2, 1000 * connections / rate);

    private static double Percent(string output, string which)
    {
        var m = Regex.Match(output, $@"^\s*{Regex.Escape(which)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rate();
}
