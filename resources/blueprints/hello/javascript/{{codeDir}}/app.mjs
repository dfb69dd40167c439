// {{functionName}}: greets the caller by the name given in the event.
const greeting = process.env.GREETING ?? 'Hello';

export const handler = async (event) => {
  const name = typeof event?.name === 'string' && event.name.trim() !== '' ? event.name.trim() : 'world';
  console.log(`Greeting ${name}`);
  return { message: `${greeting}, ${name}!` };
};
