using System.Collections.Concurrent;

namespace AgentCluster.Silo.Console;

/// <summary>
/// When a watching of a session's screen goes on record: once per key, session and view in each
/// <see cref="Window"/>. The live screen asks for a frame twice a second; a row per frame would bury
/// the session's trail under its watchers. Kept per silo: a viewer whose frames land on two silos
/// may leave a row on each, which errs towards more record, never less.
/// </summary>
internal sealed class ScreenViewThrottle(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Past this many remembered viewings, the ones whose window has passed are forgotten.</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<(string Viewer, string Session, string View), DateTimeOffset> _recorded = new();

    /// <summary>
    /// True when this viewing is to be recorded (none was in the last window), and then it counts as
    /// recorded; the caller gives it back with <see cref="Release"/> if its row could not be written.
    /// </summary>
    public bool Claim(string viewer, string session, string view)
    {
        var now = clock.GetUtcNow();
        var key = (viewer, session, view);
        while (true)
        {
            if (_recorded.TryGetValue(key, out var last))
            {
                if (now - last < Window)
                    return false;
                if (_recorded.TryUpdate(key, now, last))
                    break;
            }
            else if (_recorded.TryAdd(key, now))
            {
                break;
            }
        }
        if (_recorded.Count > PruneAbove)
        {
            foreach (var (k, at) in _recorded)
            {
                if (now - at >= Window)
                    _recorded.TryRemove(KeyValuePair.Create(k, at));
            }
        }
        return true;
    }

    /// <summary>How many viewings are remembered now.</summary>
    public int Remembered => _recorded.Count;

    /// <summary>The viewing was not recorded after all: the next frame tries again.</summary>
    public void Release(string viewer, string session, string view) => _recorded.TryRemove((viewer, session, view), out _);
}
