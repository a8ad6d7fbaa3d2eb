using AgentCluster.Client.Durations;

namespace AgentCluster.Tests.Unit.Client.Durations;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1h30m", 5400)]
    [InlineData("1h30m15s", 5415)]
    [InlineData("1d", 86400)]
    [InlineData("0", 0)]
    [InlineData(" 45s ", 45)]
    [InlineData("2H", 7200)]
    [InlineData("100m", 6000)]
    public void Parses_good_durations(string text, long seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationParser.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("m")]
    [InlineData("10x")]
    [InlineData("1.5h")]
    [InlineData("-5s")]
    [InlineData("+5s")]
    [InlineData("1h30")]
    [InlineData("30m1h")]
    [InlineData("1h1h")]
    [InlineData("1h 30m")]
    [InlineData("5ms")]
    [InlineData("10 m")]
    [InlineData("99999999999999999999")]
    [InlineData("999999999999d")]
    [InlineData("90")]
    [InlineData("5")]
    public void Rejects_bad_durations(string? text)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
        Assert.Throws<FormatException>(() => DurationParser.Parse(text!));
    }

    [Fact]
    public void A_number_without_a_unit_is_refused_naming_the_units_it_could_mean()
    {
        Assert.False(DurationParser.TryParse("5", out _, out var error));
        Assert.Equal("a number needs a unit: 5s, 5m or 5h", error);
    }

    [Theory]
    [InlineData(30, "30s")]
    [InlineData(600, "10m")]
    [InlineData(5400, "1h30m")]
    [InlineData(172800, "48h")]
    [InlineData(0, "0s")]
    public void Formats_in_the_form_it_parses(long seconds, string expected)
    {
        var text = DurationFormat.Format(TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, text);
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationParser.Parse(text));
    }
}
