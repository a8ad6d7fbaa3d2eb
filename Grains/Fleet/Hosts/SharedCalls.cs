namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// Calls that whoever asks while one is under way shares, by key: the second caller gets the
/// first's task instead of starting its own. State of a reentrant grain, touched only between its
/// awaits: no lock, no thread of its own.
/// </summary>
public sealed class SharedCalls<TResult>
{
    private readonly Dictionary<string, Task<TResult>> _underWay = new(StringComparer.Ordinal);

    public Task<TResult>? UnderWay(string key) => _underWay.GetValueOrDefault(key);

    public Task<TResult> Run(string key, Func<Task<TResult>> call)
    {
        if (_underWay.TryGetValue(key, out var running))
            return running;
        var task = Guarded();
        // One that finished at once has already left (its finally ran first): nothing to share.
        if (!task.IsCompleted)
            _underWay[key] = task;
        return task;

        async Task<TResult> Guarded()
        {
            try
            {
                return await call();
            }
            finally
            {
                _underWay.Remove(key);
            }
        }
    }
}
