namespace AgentCluster.Benchmarks.Audit;

internal sealed class Latencies
{
    private readonly List<double> _ms = [];

    public void Add(TimeSpan elapsed)
    {
        lock (_ms)
            _ms.Add(elapsed.TotalMilliseconds);
    }

    public int Count
    {
        get
        {
            lock (_ms)
                return _ms.Count;
        }
    }

    public double Percentile(double p)
    {
        lock (_ms)
        {
            var sorted = _ms.Order().ToList();
            return sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p / 100 * sorted.Count) - 1)];
        }
    }

    public override string ToString() => $"p50 {Percentile(50):0.00} ms, p99 {Percentile(99):0.00} ms";
}
