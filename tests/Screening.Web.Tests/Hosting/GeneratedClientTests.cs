using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Screening.Testing;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.Hosting;

/// <summary>
/// What an integrator does: fetch /openapi/v1.json from the running host, generate a C# client from it with Kiota
/// (the dotnet tool pinned in dotnet-tools.json, installed by scripts/setup.sh), compile it, and drive a case with
/// it alone. The client is generated into the test's temporary folder, never kept in the repository.
/// </summary>
public sealed class GeneratedClientTests(ScreeningFactory factory, ITestOutputHelper output) : IClassFixture<ScreeningFactory>
{
    [Fact]
    public async Task AClientGeneratedFromTheDocumentSignsInFilesClaimsCompletesAndReadsACase()
    {
        var work = Directory.CreateTempSubdirectory("screening-client-");
        try
        {
            var watch = Stopwatch.StartNew();
            var documentFile = Path.Combine(work.FullName, "openapi.json");
            var document = await factory.Anonymous().GetAsync("/openapi/v1.json");
            document.EnsureSuccessStatusCode();
            await File.WriteAllTextAsync(documentFile, await document.Content.ReadAsStringAsync());

            var generated = Path.Combine(work.FullName, "client");
            await GenerateAsync(documentFile, generated);
            output.WriteLine($"generated {Directory.GetFiles(generated, "*.cs", SearchOption.AllDirectories).Length} files in {watch.Elapsed.TotalSeconds:F1} s");

            var flow = Compile(generated, Path.Combine(AppContext.BaseDirectory, "Hosting", "GeneratedClient", "ClientFlow.cs"));
            output.WriteLine($"compiled in {watch.Elapsed.TotalSeconds:F1} s");
            var run = flow.GetType("Screening.ClientFlow.Flow", throwOnError: true)!.GetMethod("RunAsync")!;
            var http = factory.Anonymous();
            Func<string, (string Password, string? Code)> credentials = email =>
                (ScreeningFactory.Passwords[email], ScreeningFactory.TotpSecrets.TryGetValue(email, out var secret) ? Totp.Code(secret) : null);
            var seen = await (Task<IReadOnlyList<string>>)run.Invoke(null, [http, credentials, ScreeningFactory.Applicant, ScreeningFactory.OfficerCa])!;
            foreach (var line in seen)
            {
                output.WriteLine(line);
            }

            Assert.Equal("invalid filing: 400 $.investor,$.target,$.transaction", seen[0]);
            Assert.Matches("^filed: Submitted ", seen[1]);
            Assert.Equal("task: intake-review Open CA outcomes=certify,deficient", seen[2]);
            Assert.Equal("claimed: Claimed", seen[3]);
            Assert.Equal("completed: Completed", seen[4]);
            Assert.Equal("second completion: 409 Conflict with the current state.", seen[5]);
            Assert.Matches("^case: InReview .+ filing=Boreal Copper Inc\\.$", seen[6]);
            var reference = seen[1]["filed: Submitted ".Length..];
            Assert.Contains(reference, seen[6], StringComparison.Ordinal);
            Assert.Matches("^timeline: Filing submitted \\| Statutory clock: 45 ", seen[7]);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"Generating, compiling and driving the client took {watch.Elapsed}.");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task GenerateAsync(string documentFile, string into)
    {
        var start = new ProcessStartInfo("dotnet", ["kiota", "generate", "--language", "CSharp", "--openapi", documentFile, "--output", into,
            "--class-name", "ScreeningClient", "--namespace-name", "Screening.Client", "--clean-output", "--exclude-backward-compatible", "--log-level", "Error"])
        {
            WorkingDirectory = RepositoryRoot.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        start.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        // A missing tool fails here, loudly: scripts/setup.sh runs `dotnet tool restore`.
        Assert.True(process.ExitCode == 0 && Directory.Exists(into),
            $"kiota (dotnet-tools.json; run scripts/setup.sh) exited {process.ExitCode}:\n{await stdout}\n{await stderr}");

        // Kiota's C# output names the namespace of POST /api/tasks/{id}/request-information RequestInformation, which
        // hides its own runtime type of that name in the sibling builders (CS0118; a known Kiota limitation with path
        // segments that are runtime type names). The path is fixed by the contract, so the client's references to the
        // type are qualified, as docs/api.md tells integrators to do.
        foreach (var file in Directory.GetFiles(into, "*.cs", SearchOption.AllDirectories))
        {
            var code = await File.ReadAllTextAsync(file);
            var fixedCode = code
                .Replace("new RequestInformation(", "new global::Microsoft.Kiota.Abstractions.RequestInformation(", StringComparison.Ordinal)
                .Replace("public RequestInformation To", "public global::Microsoft.Kiota.Abstractions.RequestInformation To", StringComparison.Ordinal);
            if (code != fixedCode)
            {
                await File.WriteAllTextAsync(file, fixedCode);
            }
        }
    }

    private static Assembly Compile(string generated, string flow)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: ["NET", "NETCOREAPP", "NETCOREAPP3_1_OR_GREATER", "NETSTANDARD2_1_OR_GREATER"]);
        var trees = Directory.GetFiles(generated, "*.cs", SearchOption.AllDirectories).Append(flow)
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), options, file)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;", options));
        // Everything the test host runs with: the framework, and Kiota's runtime packages this project references.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(File.Exists).Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Screening.GeneratedClient", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).ToList();
        Assert.True(result.Success, "The generated client does not compile:\n" + string.Join("\n", errors));
        image.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
    }
}
