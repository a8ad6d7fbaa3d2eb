using System.Globalization;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// What a host's canary found. Each probe says <c>PORT open</c> (something accepted the
/// connection), <c>PORT refused</c> (the host answered that nothing listens: no rule set drops the
/// sandbox's traffic) or <c>PORT silent</c> (dropped). The host is Unsafe when any port but the
/// proxy's accepted, and when the canary could not say (no gateway, a port it did not report, a
/// run that failed): unproven is not safe.
/// </summary>
public sealed record CanaryVerdict(bool Safe, string Reason)
{
    /// <summary>The ports but the proxy's that answered with a refusal rather than silence: the host has no rule set, though nothing listens there.</summary>
    public IReadOnlyList<int> Refused { get; init; } = [];

    /// <summary>False when the canary did not get to probe: the next check runs it again.</summary>
    public bool Ran { get; init; } = true;

    public static CanaryVerdict CouldNotRun(string error) => new(false, $"the canary could not run: {error}") { Ran = false };

    public static CanaryVerdict Judge(string output, string? gateway, IReadOnlyCollection<int> probed, int proxyPort)
    {
        if (gateway is null || output.Contains(NoGateway, StringComparison.Ordinal))
            return new(false, "the sandbox network names no gateway: the canary had no address of the host to try");
        var said = new Dictionary<int, string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.Split(' ') is [var port, var answer] && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                said[p] = answer;
        }

        if (probed.Where(p => !said.ContainsKey(p)).Order().ToList() is { Count: > 0 } missing)
            return new(false, $"the canary did not report port(s) {string.Join(", ", missing)} of {gateway}");
        var open = probed.Where(p => p != proxyPort && said[p] == Open).Order().ToList();
        // The rule set lets the proxy's port through: a refusal there is a proxy not (yet) listening, not a missing rule set.
        var refused = probed.Where(p => p != proxyPort && said[p] == RefusedAnswer).Order().ToList();
        if (open.Count > 0)
            return new(false, $"a sandbox reaches {gateway} on port(s) {string.Join(", ", open)}; only the proxy's port {proxyPort} may answer") { Refused = refused };
        return new(true, "") { Refused = refused };
    }

    public const string NoGateway = "nogateway";
    public const string Open = "open";
    public const string RefusedAnswer = "refused";
    public const string Silent = "silent";
}
