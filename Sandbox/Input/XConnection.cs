using System.Runtime.InteropServices;

namespace AgentCluster.ComputerServer.Input;

/// <summary>
/// The server's one connection to the X display: XTest input with no artificial delay, the
/// pointer's position, and the keyboard map. Callers hold <see cref="Gate"/> around a sequence
/// of calls: Xlib is not thread-safe, and one action's events must not interleave with another's.
/// </summary>
internal sealed class XConnection : IDisposable
{
    private readonly nint _display;
    private readonly nint _root;
    private readonly Dictionary<nuint, (byte Code, bool Shift)> _keys = [];
    private readonly int _symbolsPerCode;
    private readonly byte _spare;
    private readonly byte _shift;

    private unsafe XConnection(nint display)
    {
        _display = display;
        _root = Xlib.XDefaultRootWindow(display);
        Xlib.XSetErrorHandler(&IgnoreError);
        Xlib.XDisplayKeycodes(display, out var min, out var max);
        var map = Xlib.XGetKeyboardMapping(display, (byte)min, max - min + 1, out _symbolsPerCode);
        try
        {
            for (var code = max; code >= min; code--)
            {
                var symbols = new ReadOnlySpan<nuint>(map + ((code - min) * _symbolsPerCode), _symbolsPerCode);
                if (symbols.IndexOfAnyExcept(Xlib.NoSymbol) < 0 && _spare == 0)
                    _spare = (byte)code;
            }
            // Lowest keycode first, unshifted before shifted: the plainest way to type a symbol wins.
            for (var level = 0; level < Math.Min(2, _symbolsPerCode); level++)
            {
                for (var code = min; code <= max; code++)
                {
                    var symbol = map[((code - min) * _symbolsPerCode) + level];
                    if (symbol != Xlib.NoSymbol)
                        _keys.TryAdd(symbol, ((byte)code, level == 1));
                }
            }
        }
        finally
        {
            Xlib.XFree(map);
        }
        _shift = _keys.TryGetValue(KeyNames.ShiftL, out var shift) ? shift.Code : (byte)0;
    }

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Connects to <paramref name="name"/>, trying again until it answers or the time is up.</summary>
    public static async Task<XConnection> OpenAsync(string name, TimeSpan timeout, CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryOpen(name) is { } connection)
                return connection;
            if (DateTime.UtcNow > until)
                throw new InvalidOperationException($"X display {name} did not answer within {timeout.TotalSeconds:0} s");
            await Task.Delay(10, ct);
        }
    }

    private static XConnection? TryOpen(string name) =>
        Xlib.XOpenDisplay(name) is var display && display != 0 ? new XConnection(display) : null;

    public void Move(int x, int y) => Xlib.XTestFakeMotionEvent(_display, -1, x, y, 0);

    /// <summary><paramref name="delayMs"/>: how long the X server waits before it carries the event out.</summary>
    public void Button(uint button, bool press, uint delayMs = 0) => Xlib.XTestFakeButtonEvent(_display, button, press ? 1 : 0, delayMs);

    /// <summary>Presses or releases the key that makes <paramref name="keysym"/>, with Shift when it needs it.</summary>
    public void Key(nuint keysym, bool press, bool withShift)
    {
        var (code, shift) = Resolve(keysym);
        if (withShift && shift && press)
            Xlib.XTestFakeKeyEvent(_display, _shift, 1, 0);
        Xlib.XTestFakeKeyEvent(_display, code, press ? 1 : 0, 0);
        if (withShift && shift && !press)
            Xlib.XTestFakeKeyEvent(_display, _shift, 0, 0);
    }

    public void Flush() => Xlib.XFlush(_display);

    /// <summary>Waits until the server has handled every request sent so far.</summary>
    public void Sync() => Xlib.XSync(_display, 0);

    public (int X, int Y) Pointer()
    {
        Xlib.XQueryPointer(_display, _root, out _, out _, out var x, out var y, out _, out _, out _);
        return (x, y);
    }

    /// <summary>Whether a top-level window at least this large is mapped and viewable (the browser's, once it is up).</summary>
    public unsafe bool HasViewableWindow(int minWidth, int minHeight)
    {
        if (Xlib.XQueryTree(_display, _root, out _, out _, out var children, out var count) == 0)
            return false;
        try
        {
            var attributes = stackalloc byte[Xlib.WindowAttributes.Size];
            for (var i = 0; i < count; i++)
            {
                if (Xlib.XGetWindowAttributes(_display, children[i], attributes) != 0
                    && *(int*)(attributes + Xlib.WindowAttributes.MapState) == Xlib.WindowAttributes.IsViewable
                    && *(int*)(attributes + Xlib.WindowAttributes.Width) >= minWidth
                    && *(int*)(attributes + Xlib.WindowAttributes.Height) >= minHeight)
                    return true;
            }
            return false;
        }
        finally
        {
            if (children != null)
                Xlib.XFree(children);
        }
    }

    public void Dispose() => Xlib.XCloseDisplay(_display);

    private unsafe (byte Code, bool Shift) Resolve(nuint keysym)
    {
        if (_keys.TryGetValue(keysym, out var key))
            return key;
        if (_spare == 0)
            throw new InvalidOperationException($"keysym 0x{keysym:x} is not on the keyboard and no keycode is free to map it");
        // A symbol the layout lacks (most of Unicode): put it on the spare keycode for this press.
        var symbols = stackalloc nuint[_symbolsPerCode];
        new Span<nuint>(symbols, _symbolsPerCode).Fill(keysym);
        Xlib.XChangeKeyboardMapping(_display, _spare, _symbolsPerCode, symbols, 1);
        Xlib.XSync(_display, 0);
        return (_spare, false);
    }

    // The default handler exits the process; a bad request (a stale window id) is no reason to.
    [UnmanagedCallersOnly]
    private static int IgnoreError(nint display, nint error) => 0;
}
