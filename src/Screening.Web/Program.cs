using Screening.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddScreening();

var app = builder.Build();
await app.PrepareScreeningAsync();
app.UseScreening();
await app.RunAsync();

/// <summary>The host's entry point (public for the test host).</summary>
public partial class Program;
