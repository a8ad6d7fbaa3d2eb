using System.Collections.Concurrent;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Egress;

namespace AgentCluster.Proxy.Leases;

/// <summary>
/// A lease-bound cache of grain answers: what session and grant grains answered, reused for a few seconds so that a request does not
/// wait on three grain calls. Only answers that let a request through are kept; a refusal is
/// always asked again. Trusted only while this proxy holds a lease from the registry, which is
/// what guarantees that a kill or revocation reaches <see cref="Forget"/> before it is acknowledged.
/// </summary>
public sealed class LeasedAnswers(EgressOptions options, TimeProvider clock)
{
    private const int MaxPerSession = 4096;

    private readonly ConcurrentDictionary<string, SessionAnswers> _sessions = new(StringComparer.Ordinal);
    private long _forgets;
    private long _leaseEnds;

    public void Lease(DateTimeOffset until) => Interlocked.Exchange(ref _leaseEnds, until.UtcTicks);

    public void Forget(string sessionId)
    {
        Interlocked.Increment(ref _forgets);
        _sessions.TryRemove(sessionId, out _);
    }

    public void ForgetAll()
    {
        Interlocked.Increment(ref _forgets);
        _sessions.Clear();
    }

    /// <summary>The session's policy for this secret: reused, or asked and kept when it is a live one.</summary>
    public Task<EgressPolicy?> Policy(string sessionId, string secretHash, Func<Task<EgressPolicy?>> ask) =>
        Ask(sessionId, PolicyKey(secretHash), ask, p => p is not null, p => p!.Expires);

    /// <summary>
    /// The grant's resolution for this use: reused, or asked and kept when it allows. The key holds
    /// everything the grain checked (host, methods, transport), so an answer for a read never serves a write.
    /// </summary>
    public Task<GrantResolution> Grant(string sessionId, string stubHash, GrantUse use, Func<Task<GrantResolution>> ask) =>
        Ask(sessionId, GrantKey(stubHash, use), ask, g => g.Allowed, g => g.ExpiresAt);

    /// <summary>
    /// Whether the request is a read (Reversible): reused, or asked and kept when it is one. The
    /// tenant's policy behind a kept answer may be a little older, as in the session grain's own cache.
    /// </summary>
    public Task<bool> IsRead(string sessionId, string action, string payloadHash, Func<Task<bool>> ask) =>
        Ask(sessionId, ReadKey(action, payloadHash), ask, read => read, _ => DateTimeOffset.MaxValue);

    /// <summary>Taken before asking a grain; an answer is kept only if no forget came in between.</summary>
    private long Ticket => Interlocked.Read(ref _forgets);

    private static string PolicyKey(string secretHash) => "p\n" + secretHash;

    private static string GrantKey(string stubHash, GrantUse use) =>
        $"g\n{stubHash}\n{use.Host}\n{string.Join(',', use.Methods)}\n{(use.OverTls ? "tls" : "plain")}";

    private static string ReadKey(string action, string payloadHash) => $"r\n{action}\n{payloadHash}";

    /// <summary>Drops answers past their time, so that ended sessions do not pile up; how many went.</summary>
    public int Sweep()
    {
        var now = clock.GetUtcNow();
        var dropped = 0;
        foreach (var (id, answers) in _sessions)
        {
            foreach (var (key, entry) in answers.Entries)
            {
                if (entry.Until <= now && answers.Entries.TryRemove(key, out _))
                    dropped++;
            }
            if (answers.Entries.IsEmpty)
                _sessions.TryRemove(new KeyValuePair<string, SessionAnswers>(id, answers));
        }
        return dropped;
    }

    private async Task<T> Ask<T>(string sessionId, string key, Func<Task<T>> ask, Func<T, bool> keep, Func<T, DateTimeOffset> expires)
    {
        if (Find(sessionId, key) is T known)
            return known;
        var ticket = Ticket;
        var answer = await ask();
        if (keep(answer))
            Remember(ticket, sessionId, key, answer!, expires(answer));
        return answer;
    }

    private object? Find(string sessionId, string key)
    {
        if (!Trusted(out var now) || !_sessions.TryGetValue(sessionId, out var answers)
            || !answers.Entries.TryGetValue(key, out var entry))
            return null;
        return entry.Until > now ? entry.Value : null;
    }

    private void Remember(long ticket, string sessionId, string key, object value, DateTimeOffset expires)
    {
        if (options.AnswerCacheTtl <= TimeSpan.Zero || !Trusted(out var now) || ticket != Ticket)
            return;
        var until = now + options.AnswerCacheTtl;
        var answers = _sessions.GetOrAdd(sessionId, _ => new SessionAnswers());
        if (answers.Entries.Count >= MaxPerSession)
            answers.Entries.Clear();
        answers.Entries[key] = new Entry(value, expires < until ? expires : until);
        // A forget that ran between the check above and the store must still win.
        if (ticket != Ticket)
            answers.Entries.TryRemove(key, out _);
    }

    private bool Trusted(out DateTimeOffset now)
    {
        now = clock.GetUtcNow();
        return now.UtcTicks < Interlocked.Read(ref _leaseEnds);
    }

    private sealed class SessionAnswers
    {
        public ConcurrentDictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Entry(object Value, DateTimeOffset Until);
}
