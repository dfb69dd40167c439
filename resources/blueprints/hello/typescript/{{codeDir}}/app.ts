// {{functionName}}: greets the caller by the name given in the event.
export interface GreetingEvent {
  name?: string;
}

export interface GreetingResult {
  message: string;
}

const greeting = process.env.GREETING ?? 'Hello';

export const handler = async (event: GreetingEvent): Promise<GreetingResult> => {
  const name = typeof event?.name === 'string' && event.name.trim() !== '' ? event.name.trim() : 'world';
  console.log(`Greeting ${name}`);
  return { message: `${greeting}, ${name}!` };
};
