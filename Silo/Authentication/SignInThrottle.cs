using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AgentCluster.Silo.Authentication;

/// <summary>
/// How many sign-ins one address may try: <see cref="MaxFailures"/> failures within a
/// <see cref="Window"/>, then none until the oldest ages out. An attempt counts as a failure from
/// the moment it starts (a burst of parallel tries cannot slip past the count) and is given back
/// only when it succeeds. IPv6 addresses count by their /64, which one attacker usually holds whole.
/// Each silo counts its own.
/// </summary>
internal sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>Past this many remembered addresses, the ones with nothing in the window are forgotten.</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _attempts = new(StringComparer.Ordinal);

    /// <summary>False when the address has used up its tries; otherwise the attempt is counted, and <paramref name="retryAfter"/> is zero.</summary>
    public bool TryClaim(IPAddress? address, out TimeSpan retryAfter)
    {
        var now = clock.GetUtcNow();
        var attempts = _attempts.GetOrAdd(Bucket(address), _ => new Queue<DateTimeOffset>());
        lock (attempts)
        {
            while (attempts.Count > 0 && now - attempts.Peek() >= Window)
                attempts.Dequeue();
            if (attempts.Count >= MaxFailures)
            {
                retryAfter = attempts.Peek() + Window - now;
                return false;
            }
            attempts.Enqueue(now);
        }
        retryAfter = TimeSpan.Zero;
        Prune(now);
        return true;
    }

    /// <summary>A claimed attempt that succeeded does not count against the address.</summary>
    public void Succeeded(IPAddress? address)
    {
        if (!_attempts.TryGetValue(Bucket(address), out var attempts))
            return;
        lock (attempts)
        {
            // The newest is this attempt's (or one as new): the older failures keep counting.
            var kept = attempts.ToArray()[..^Math.Min(1, attempts.Count)];
            attempts.Clear();
            foreach (var at in kept)
                attempts.Enqueue(at);
        }
    }

    internal static string Bucket(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private void Prune(DateTimeOffset now)
    {
        if (_attempts.Count <= PruneAbove)
            return;
        foreach (var (bucket, attempts) in _attempts)
        {
            lock (attempts)
            {
                if (attempts.Count == 0 || now - attempts.Last() >= Window)
                    _attempts.TryRemove(KeyValuePair.Create(bucket, attempts));
            }
        }
    }
}
