using AgentCluster.Benchmarks.Audit;

namespace AgentCluster.Benchmarks.Computer;

/// <summary>
/// Where a web first page's time goes, by the browser's own clock against the create's call: when
/// the navigation started, when its fetch began (a pooled desktop's, redirected by the hand-off), when its request left, when the answer's
/// first and last byte came back (forwarder, proxy, upstream), when its script ran, when its first
/// animation frame began, and when the page was first painted.
/// </summary>
internal sealed class BrowserClock
{
    private readonly Latencies _start = new(), _fetch = new(), _request = new(), _first = new(), _last = new(), _script = new(), _frame = new(), _paint = new();
    private int _missing;

    public void Add((double Call, PageTiming? Page) sample)
    {
        if (sample.Page is not { } t)
        {
            _missing++;
            return;
        }
        // A pooled desktop's navigation is the waiting page's own, begun before the claim: only its fetch's start counts.
        if (t.NavigationStart >= sample.Call)
            _start.Add(TimeSpan.FromMilliseconds(t.NavigationStart - sample.Call));
        _fetch.Add(TimeSpan.FromMilliseconds(t.FetchStart - sample.Call));
        _request.Add(TimeSpan.FromMilliseconds(t.Request - sample.Call));
        _first.Add(TimeSpan.FromMilliseconds(t.ResponseStart - sample.Call));
        _last.Add(TimeSpan.FromMilliseconds(t.ResponseEnd - sample.Call));
        _script.Add(TimeSpan.FromMilliseconds(t.ScriptRan - sample.Call));
        _frame.Add(TimeSpan.FromMilliseconds(t.FirstFrame - sample.Call));
        if (t.FirstPaint > 0)
            _paint.Add(TimeSpan.FromMilliseconds(t.FirstPaint - sample.Call));
    }

    public void Print()
    {
        Console.WriteLine("  by the browser's clock, from the create's call:");
        if (_start.Count > 0)
            Console.WriteLine($"    the page's navigation started:                         {_start}");
        Console.WriteLine($"    its fetch began (after the hand-off's redirect):      {_fetch}");
        Console.WriteLine($"    its request left the browser:                          {_request}");
        Console.WriteLine($"    the answer's first byte came back:                     {_first}");
        Console.WriteLine($"    the answer's last byte:                                {_last}");
        Console.WriteLine($"    its script ran (committed and parsed):                 {_script}");
        Console.WriteLine($"    its first animation frame began:                       {_frame}");
        Console.WriteLine($"    the first paint:                                       {_paint}");
        if (_missing > 0)
            Console.WriteLine($"    ({_missing} page(s) sent no report)");
    }
}
