using AgentCluster.Client.Sizes;

namespace AgentCluster.Tests.Unit.Client.Sizes;

public sealed class SizeParserTests
{
    [Theory]
    [InlineData("512m", 512L << 20)]
    [InlineData("2g", 2L << 30)]
    [InlineData("1024k", 1L << 20)]
    [InlineData("1t", 1L << 40)]
    [InlineData("1048576", 1048576)]
    [InlineData("0", 0)]
    [InlineData("100b", 100)]
    [InlineData("2G", 2L << 30)]
    [InlineData("512mb", 512L << 20)]
    [InlineData("2GiB", 2L << 30)]
    [InlineData(" 64k ", 64L << 10)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Parses_good_sizes(string text, long bytes)
    {
        Assert.True(SizeParser.TryParse(text, out var value, out var error), error);
        Assert.Equal(bytes, value);
        Assert.Equal(bytes, SizeParser.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    [InlineData("m")]
    [InlineData("2x")]
    [InlineData("1.5g")]
    [InlineData("-5m")]
    [InlineData("+5m")]
    [InlineData("2 g")]
    [InlineData("2gg")]
    [InlineData("2ib")]
    [InlineData("2bb")]
    [InlineData("1e9")]
    [InlineData("2g512m")]
    [InlineData("9223372036854775808")]
    [InlineData("9999999999999t")]
    public void Rejects_bad_sizes(string? text)
    {
        Assert.False(SizeParser.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
        Assert.Throws<FormatException>(() => SizeParser.Parse(text!));
    }

    [Fact]
    public void Says_what_it_expects()
    {
        SizeParser.TryParse("lots", out _, out var error);

        Assert.Equal(SizeParser.Expected, error);
    }
}
