using System.Text;

namespace AgentCluster.ComputerServer.Input;

/// <summary>
/// Mouse and keyboard actions as XTest events, sent back to back with no delay between them:
/// the X server queues them in order, and a client reads them in that order. Each action holds
/// the connection's gate, so two actions never interleave.
/// </summary>
internal sealed class XInput(XConnection x)
{
    private const uint Left = 1, Middle = 2, Right = 3, WheelUp = 4, WheelDown = 5, WheelLeft = 6, WheelRight = 7;

    // Between the clicks of a double or triple click: back-to-back presses carry the same server time,
    // and Chromium counts each as a first click (no dblclick); well inside any double-click interval.
    private const uint RepeatClickDelayMs = 40;

    public Task<(int X, int Y)> MoveAsync(int toX, int toY, CancellationToken ct) => Run(() => x.Move(toX, toY), ct);

    /// <summary><paramref name="button"/>: left, right, middle, double or triple.</summary>
    public Task<(int X, int Y)> ClickAsync(int? atX, int? atY, string button, CancellationToken ct)
    {
        var (code, clicks) = button switch
        {
            "left" => (Left, 1),
            "right" => (Right, 1),
            "middle" => (Middle, 1),
            "double" => (Left, 2),
            "triple" => (Left, 3),
            _ => throw new ArgumentException($"unknown button '{button}' (left, right, middle, double, triple)"),
        };
        return Run(() =>
        {
            if (atX is { } px && atY is { } py)
                x.Move(px, py);
            for (var i = 0; i < clicks; i++)
            {
                x.Button(code, true, i == 0 ? 0 : RepeatClickDelayMs);
                x.Button(code, false);
            }
        }, ct);
    }

    public Task<(int X, int Y)> DragAsync(int fromX, int fromY, int toX, int toY, CancellationToken ct) => Run(() =>
    {
        x.Move(fromX, fromY);
        x.Button(Left, true);
        // A few steps on the way: pages see a drag start past a small threshold, then moves.
        const int steps = 4;
        for (var i = 1; i <= steps; i++)
            x.Move(fromX + ((toX - fromX) * i / steps), fromY + ((toY - fromY) * i / steps));
        x.Button(Left, false);
    }, ct);

    public Task<(int X, int Y)> ScrollAsync(int? atX, int? atY, int dx, int dy, CancellationToken ct) => Run(() =>
    {
        if (atX is { } px && atY is { } py)
            x.Move(px, py);
        Wheel(dy > 0 ? WheelDown : WheelUp, Math.Abs(dy));
        Wheel(dx > 0 ? WheelRight : WheelLeft, Math.Abs(dx));
    }, ct);

    public Task<(int X, int Y)> TypeAsync(string text, CancellationToken ct) => Run(() =>
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (KeyNames.ForCharacter(rune) is not { } keysym)
                continue;
            x.Key(keysym, press: true, withShift: true);
            x.Key(keysym, press: false, withShift: true);
        }
    }, ct);

    /// <summary>Presses the parts of a combination in order and releases them in reverse.</summary>
    public Task<(int X, int Y)> KeyAsync(IReadOnlyList<string> keysymNames, CancellationToken ct)
    {
        var keysyms = keysymNames.Select(name => Xlib.XStringToKeysym(name) is var k && k != Xlib.NoSymbol
            ? k
            : throw new ArgumentException($"unknown key '{name}'")).ToArray();
        return Run(() =>
        {
            foreach (var k in keysyms)
                x.Key(k, press: true, withShift: false);
            for (var i = keysyms.Length - 1; i >= 0; i--)
                x.Key(keysyms[i], press: false, withShift: false);
        }, ct);
    }

    public Task<(int X, int Y)> CursorAsync(CancellationToken ct) => Run(() => { }, ct);

    /// <summary>
    /// Waits until a window of at least half the screen is viewable: keys sent before the
    /// browser's window exists go nowhere.
    /// </summary>
    public async Task WaitForWindowAsync(int screenWidth, int screenHeight, TimeSpan patience, CancellationToken ct)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            await x.Gate.WaitAsync(ct);
            bool ready;
            try
            {
                ready = x.HasViewableWindow(screenWidth / 2, screenHeight / 2);
            }
            finally
            {
                x.Gate.Release();
            }
            if (ready)
                return;
            if (DateTime.UtcNow > until)
                throw new InvalidOperationException($"no browser window appeared within {patience.TotalSeconds:0} s");
            await Task.Delay(20, ct);
        }
    }

    private void Wheel(uint button, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            x.Button(button, true);
            x.Button(button, false);
        }
    }

    /// <summary>Runs the events under the gate, waits until the X server has them, and reports the pointer.</summary>
    private async Task<(int X, int Y)> Run(Action events, CancellationToken ct)
    {
        await x.Gate.WaitAsync(ct);
        try
        {
            events();
            x.Sync();
            return x.Pointer();
        }
        finally
        {
            x.Gate.Release();
        }
    }
}
