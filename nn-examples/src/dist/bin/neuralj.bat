@echo off
rem neuralj: the example program, launched with the Vector API kernels on.
rem   JAVA_HOME  the JDK to run (17 or later); default: java on the PATH
rem   JAVA_OPTS  more JVM options, placed after ours (JAVA_OPTS=-Xmx4g replaces the default heap)
setlocal
set "APP_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
"%JAVA%" --add-modules=jdk.incubator.vector -Xmx1g %JAVA_OPTS% -jar "%APP_HOME%\lib\nn-examples.jar" %*
exit /b %ERRORLEVEL%
