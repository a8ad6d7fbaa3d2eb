using AgentCluster.Client.Commands;

namespace AgentCluster.Tests.Unit.Client.Commands;

public sealed class SinceOptionTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("10m", "2025-06-01T11:50:00Z")]
    [InlineData("1d", "2025-05-31T12:00:00Z")]
    [InlineData("1h30m", "2025-06-01T10:30:00Z")]
    [InlineData("90s", "2025-06-01T11:58:30Z")]
    [InlineData("2025-01-02T03:04:05Z", "2025-01-02T03:04:05Z")]
    [InlineData("2025-01-02T03:04:05.250Z", "2025-01-02T03:04:05.250Z")]
    [InlineData("2025-01-02T05:04:05+02:00", "2025-01-02T03:04:05Z")]
    [InlineData("2025-01-02T03:04:05", "2025-01-02T03:04:05Z")]
    [InlineData("2025-01-02", "2025-01-02T00:00:00Z")]
    [InlineData("10000000d", "1970-01-01T00:00:00Z")]
    public void Reads_a_time_or_a_duration_ago(string text, string expected)
    {
        Assert.True(SinceOption.TryParse(text, Now, out var value));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("1h30")]
    [InlineData("-10m")]
    [InlineData("90")]
    [InlineData("2025")]
    public void Refuses_anything_else(string text) => Assert.False(SinceOption.TryParse(text, Now, out _));
}
