using AgentCluster.Grains.Computer;
using K = AgentCluster.ComputerProtocol.ComputerActions;

namespace AgentCluster.Tests.Unit.Grains.Computer;

public sealed class ComputerActionRulesTests
{
    private static readonly string Tag = AgentCluster.ComputerProtocol.ScreenTag.Of([1, 2, 3]);

    public static TheoryData<ComputerAction> Good => new()
    {
        new(K.Screenshot),
        new(K.Screenshot) { Scale = 0.5, Region = new(0, 0, 1280, 800) },
        new(K.Screenshot) { ChangedFrom = Tag, Milliseconds = 20_000 },
        new(ComputerActionRules.WatchFrames) { IntervalMilliseconds = 100, Frames = 3600 },
        new(K.MouseMove) { X = 0, Y = 799 },
        new(K.Click),
        new(K.Click) { X = 1279, Y = 0, Button = "triple" },
        new(K.Drag) { X = 1, Y = 2, ToX = 3, ToY = 4 },
        new(K.Scroll) { ScrollY = -100 },
        new(K.Type) { Text = "Hello" },
        new(K.Key) { Keys = "ctrl+shift+Tab" },
        new(K.Key) { Keys = "+" },
        new(K.CursorPosition),
        new(K.Wait),
        new(K.Wait) { Milliseconds = 20_000 },
        new(K.Navigate) { Url = "https://api.example.com/a" },
        new(K.Navigate) { Url = "data:text/html,<h1>hi there</h1>" },
        new(K.Navigate) { Url = "about:blank" },
    };

    [Theory]
    [MemberData(nameof(Good))]
    public void Actions_within_their_bounds_pass(ComputerAction action) => Assert.Null(ComputerActionRules.Error(action));

    public static TheoryData<ComputerAction, string> Bad => new()
    {
        { new("format_disk"), "unknown action 'format_disk'" },
        { new(K.Screenshot) { Scale = 0 }, "scale 0 is outside (0, 1]" },
        { new(K.Screenshot) { Milliseconds = 500 }, "wait_ms needs changed_from" },
        { new(K.Screenshot) { ChangedFrom = Tag }, "changed_from needs wait_ms" },
        { new(K.Screenshot) { ChangedFrom = Tag, Milliseconds = 20_001 }, "wait_ms 20001 is outside 0-20000" },
        { new(K.Screenshot) { ChangedFrom = Tag, Milliseconds = -1 }, "wait_ms -1 is outside 0-20000" },
        { new(K.Screenshot) { ChangedFrom = Tag.ToUpperInvariant(), Milliseconds = 10 }, "changed_from is not a screenshot's tag" },
        { new(K.Screenshot) { ChangedFrom = Tag[..63], Milliseconds = 10 }, "changed_from is not a screenshot's tag" },
        { new(K.Screenshot) { ChangedFrom = Tag[..63] + "\n", Milliseconds = 10 }, "changed_from is not a screenshot's tag" },
        { new(K.Screenshot) { Scale = 1.5 }, "scale 1.5 is outside (0, 1]" },
        { new(K.Screenshot) { Region = new(1000, 0, 281, 10) }, "region 1000,0 281x10 is not inside the 1280x800 screen" },
        { new(K.Screenshot) { Region = new(0, 0, 0, 10) }, "is not inside" },
        { new(ComputerActionRules.WatchFrames) { IntervalMilliseconds = 50 }, "interval_ms 50 is outside 100-60000" },
        { new(ComputerActionRules.WatchFrames) { Frames = 0 }, "frames 0 is outside 1-3600" },
        { new(K.MouseMove) { X = 10 }, "y is required" },
        { new(K.MouseMove) { X = 1280, Y = 0 }, "x 1280 is outside 0-1279" },
        { new(K.Click) { X = 5000, Y = 10 }, "x 5000 is outside 0-1279" },
        { new(K.Click) { Y = 10 }, "x is required" },
        { new(K.Click) { Button = "fourth" }, "button fourth is not one of left, right, middle, double, triple" },
        { new(K.Drag) { X = 1, Y = 2, ToX = 3 }, "to_y is required" },
        { new(K.Scroll) { ScrollY = 101 }, "scroll_y 101 is outside -100-100" },
        { new(K.Scroll), "scroll needs scroll_x or scroll_y" },
        { new(K.Type), "text is required" },
        { new(K.Type) { Text = new string('a', 4097) }, "text is 4097 characters; at most 4096" },
        { new(K.Key) { Keys = "ctrl++" }, "has an empty part" },
        { new(K.Key) { Keys = "ctrl+\u0001" }, "control characters" },
        { new(K.Wait) { Milliseconds = 20_001 }, "milliseconds 20001 is outside 0-20000" },
        { new(K.Wait) { Milliseconds = -1 }, "milliseconds -1 is outside" },
        { new(K.Navigate), "url is required" },
        { new(K.Navigate) { Url = "javascript:alert(1)" }, "not javascript:" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Actions_out_of_bounds_are_refused_with_the_reason(ComputerAction action, string reason) =>
        Assert.Contains(reason, ComputerActionRules.Error(action) ?? "(passed)", StringComparison.Ordinal);
}
